package dev.gantry.api.backends;

import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendCapabilities;
import dev.gantry.spi.BackendContext;
import dev.gantry.spi.BackendDescriptor;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.BackendFactory;
import dev.gantry.spi.Capacity;
import dev.gantry.spi.LaunchRequest;
import dev.gantry.spi.LogChunk;
import dev.gantry.spi.LogStream;
import dev.gantry.spi.Resources;
import dev.gantry.spi.RunHandle;
import dev.gantry.spi.RunStatus;
import dev.gantry.spi.SpiVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A factory of backends that run nothing, or of a failure chosen by the test. */
final class FakeBackendFactory implements BackendFactory {

    private final String type;
    private final Throwable failure;

    private FakeBackendFactory(String type, Throwable failure) {
        this.type = type;
        this.failure = failure;
    }

    /** A factory whose backends start. */
    static FakeBackendFactory of(String type) {
        return new FakeBackendFactory(type, null);
    }

    /** A factory whose {@code create} throws {@code failure}. */
    static FakeBackendFactory failing(String type, Throwable failure) {
        return new FakeBackendFactory(type, failure);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Backend create(BackendContext context) throws BackendException {
        if (failure instanceof BackendException e) {
            throw e;
        } else if (failure instanceof RuntimeException e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        }
        return new FakeBackend(context, type);
    }

    /** A backend with one slot that runs nothing and remembers how it was created and closed. */
    static final class FakeBackend implements Backend {

        private final BackendContext context;
        private final String type;
        private volatile boolean closed;

        FakeBackend(BackendContext context, String type) {
            this.context = context;
            this.type = type;
        }

        BackendContext context() {
            return context;
        }

        boolean isClosed() {
            return closed;
        }

        @Override
        public BackendDescriptor describe() {
            var capabilities = new BackendCapabilities(false, false, false, false, false);
            return new BackendDescriptor(context.id(), type, "test", Map.of(), capabilities, Optional.empty());
        }

        @Override
        public Capacity capacity() {
            return new Capacity(Resources.NONE, Resources.NONE, 1, 1);
        }

        @Override
        public RunHandle launch(LaunchRequest request) throws BackendException {
            throw new BackendException(BackendException.Kind.UNSUPPORTED, "fake backend runs nothing");
        }

        @Override
        public RunStatus status(RunHandle handle) {
            return RunStatus.unknown("fake backend runs nothing");
        }

        @Override
        public void cancel(RunHandle handle, Duration grace) throws BackendException {
            throw new BackendException(BackendException.Kind.NOT_FOUND, "no run " + handle.attemptId());
        }

        @Override
        public LogChunk logs(RunHandle handle, LogStream stream, long offset, int maxBytes) throws BackendException {
            throw new BackendException(BackendException.Kind.NOT_FOUND, "no run " + handle.attemptId());
        }

        @Override
        public List<RunHandle> runs() {
            return List.of();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
