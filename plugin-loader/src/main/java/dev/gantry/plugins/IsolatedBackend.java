package dev.gantry.plugins;

import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendDescriptor;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.Capacity;
import dev.gantry.spi.LaunchRequest;
import dev.gantry.spi.LogChunk;
import dev.gantry.spi.LogStream;
import dev.gantry.spi.RunHandle;
import dev.gantry.spi.RunStatus;
import dev.gantry.spi.ScaleRequest;
import java.time.Duration;
import java.util.List;

/**
 * A backend from a plugin, seen through a wrapper that runs every call with the plugin's class
 * loader as the thread's context class loader. Results and exceptions pass through unchanged, and
 * {@link #scale} reaches the plugin's own implementation or the SPI's default, whichever the
 * plugin has.
 */
final class IsolatedBackend implements Backend {

    private final Backend delegate;
    private final PluginContext context;

    IsolatedBackend(Backend delegate, PluginContext context) {
        this.delegate = delegate;
        this.context = context;
    }

    @Override
    public BackendDescriptor describe() {
        return context.call(delegate::describe);
    }

    @Override
    public Capacity capacity() {
        return context.call(delegate::capacity);
    }

    @Override
    public RunHandle launch(LaunchRequest request) throws BackendException {
        return context.call(() -> delegate.launch(request));
    }

    @Override
    public RunStatus status(RunHandle handle) throws BackendException {
        return context.call(() -> delegate.status(handle));
    }

    @Override
    public void cancel(RunHandle handle, Duration grace) throws BackendException {
        context.run(() -> delegate.cancel(handle, grace));
    }

    @Override
    public LogChunk logs(RunHandle handle, LogStream stream, long offset, int maxBytes) throws BackendException {
        return context.call(() -> delegate.logs(handle, stream, offset, maxBytes));
    }

    @Override
    public List<RunHandle> runs() throws BackendException {
        return context.call(delegate::runs);
    }

    @Override
    public void scale(ScaleRequest request) throws BackendException {
        context.run(() -> delegate.scale(request));
    }

    @Override
    public void close() {
        context.run(delegate::close);
    }

    @Override
    public String toString() {
        return "IsolatedBackend[" + delegate + "]";
    }
}
