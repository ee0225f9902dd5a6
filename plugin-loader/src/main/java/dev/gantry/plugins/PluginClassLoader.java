package dev.gantry.plugins;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

/**
 * The class loader of one plugin. It asks the host only for the {@linkplain
 * PluginLoader#SHARED_PACKAGES shared packages}, takes JDK classes from the platform class loader,
 * and takes everything else from the plugin's own jars first, so a plugin's dependencies never
 * clash with the control plane's. Resources come from the plugin first as well, which keeps the
 * host's {@code META-INF/services} files out of the plugin's view.
 */
final class PluginClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader host;
    private final List<String> sharedPackages;

    PluginClassLoader(String name, URL[] urls, ClassLoader host, List<String> sharedPackages) {
        super(name, urls, ClassLoader.getPlatformClassLoader());
        this.host = host;
        this.sharedPackages = List.copyOf(sharedPackages);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isShared(name)) {
            return host.loadClass(name);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> type = findLoadedClass(name);
            if (type == null) {
                type = loadChildFirst(name);
            }
            if (resolve) {
                resolveClass(type);
            }
            return type;
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : getParent().getResource(name);
    }

    private boolean isShared(String className) {
        return sharedPackages.stream().anyMatch(className::startsWith);
    }

    private Class<?> loadChildFirst(String name) throws ClassNotFoundException {
        // No class loader may define java.*, so those go straight to the platform loader.
        if (name.startsWith("java.")) {
            return getParent().loadClass(name);
        }
        try {
            return findClass(name);
        } catch (ClassNotFoundException notInPlugin) {
            return getParent().loadClass(name);
        }
    }
}
