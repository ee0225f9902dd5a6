package dev.gantry.plugins;

/**
 * Runs calls into a plugin with the plugin's class loader as the thread's context class loader,
 * and puts the caller's back afterwards, whatever the call did. Libraries inside a plugin that
 * look up classes or services through the context class loader then find the plugin's own.
 */
final class PluginContext {

    private final ClassLoader loader;

    PluginContext(ClassLoader loader) {
        this.loader = loader;
    }

    /** The plugin's class loader. */
    ClassLoader loader() {
        return loader;
    }

    /** Returns what {@code call} returns, having run it with the plugin's context class loader. */
    <T, E extends Exception> T call(Call<T, E> call) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Runs {@code action} with the plugin's context class loader. */
    <E extends Exception> void run(Action<E> action) throws E {
        call(() -> {
            action.run();
            return null;
        });
    }

    /** A call into a plugin that returns a value. */
    @FunctionalInterface
    interface Call<T, E extends Exception> {
        T run() throws E;
    }

    /** A call into a plugin that returns nothing. */
    @FunctionalInterface
    interface Action<E extends Exception> {
        void run() throws E;
    }
}
