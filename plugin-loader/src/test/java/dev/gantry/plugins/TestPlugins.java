package dev.gantry.plugins;

/**
 * Sources of small test plugins: a factory whose type, SPI version and {@code create} body are
 * chosen by the test, and a backend that runs nothing but reports, in its labels, which class
 * loader was the thread's context class loader when it was called. Shared with the control
 * plane's integration tests through this module's test jar.
 */
public final class TestPlugins {

    /** The label saying whether the context class loader was the plugin's during the call. */
    public static final String CONTEXT_LABEL = "context-is-plugin";

    /** The label saying whether it was the plugin's when the backend was created. */
    public static final String CREATED_LABEL = "created-in-plugin";

    /** The system property prefix under which {@code close()} records the same, by backend id. */
    public static final String CLOSE_PROPERTY = "gantry.test.close.";

    /** A {@code create} body that returns the test backend with no extra labels. */
    public static final String CREATE_BACKEND = "return new TestBackend(context.id(), type(), java.util.Map.of());";

    /**
     * A {@code create} body that returns the test backend with its settings as labels. A setting
     * {@value #CAPACITY_ERROR} makes {@code capacity()} throw with its value as the message.
     */
    public static final String CREATE_FROM_SETTINGS =
            "return new TestBackend(context.id(), type(), context.settings());";

    /** The setting, read as a label, that makes {@code capacity()} fail. */
    public static final String CAPACITY_ERROR = "capacity-error";

    /** The setting, read as a label, that gives the backend this many GPUs and the GPU capability. */
    public static final String GPUS = "gpus";

    /** The setting, read as a label, that names the backend's region instead of {@code test}. */
    public static final String REGION = "region";

    private TestPlugins() {
    }

    /**
     * A plugin in {@code packageName} with a factory {@code TestFactory} of {@code type}, built
     * for {@code spiVersion}, whose {@code create(context)} runs {@code createBody}, and the test
     * backend {@code TestBackend}.
     */
    public static PluginJarBuilder plugin(String packageName, String type, String spiVersion, String createBody) {
        return new PluginJarBuilder()
                .source(packageName + ".TestFactory", factory(packageName, type, spiVersion, createBody))
                .source(packageName + ".TestBackend", backend(packageName))
                .factory(packageName + ".TestFactory");
    }

    /** A plugin of {@code type} built for the current SPI, whose backends start. */
    public static PluginJarBuilder plugin(String packageName, String type) {
        return plugin(packageName, type, "1.0", CREATE_BACKEND);
    }

    /** The source of {@code TestFactory}. */
    public static String factory(String packageName, String type, String spiVersion, String createBody) {
        return """
                package %s;

                import dev.gantry.spi.Backend;
                import dev.gantry.spi.BackendContext;
                import dev.gantry.spi.BackendException;
                import dev.gantry.spi.BackendFactory;

                public final class TestFactory implements BackendFactory {

                    @Override
                    public String type() {
                        return "%s";
                    }

                    @Override
                    public String spiVersion() {
                        return "%s";
                    }

                    @Override
                    public Backend create(BackendContext context) throws BackendException {
                        %s
                    }
                }
                """.formatted(packageName, type, spiVersion, createBody);
    }

    /**
     * The source of {@code TestBackend}, which holds one free slot and runs nothing; its
     * {@code capacity()} throws when its labels hold {@value #CAPACITY_ERROR}, and its labels
     * {@value #GPUS} and {@value #REGION} set its GPUs and region.
     */
    public static String backend(String packageName) {
        return """
                package %s;

                import dev.gantry.spi.Backend;
                import dev.gantry.spi.BackendCapabilities;
                import dev.gantry.spi.BackendDescriptor;
                import dev.gantry.spi.BackendException;
                import dev.gantry.spi.Capacity;
                import dev.gantry.spi.LaunchRequest;
                import dev.gantry.spi.LogChunk;
                import dev.gantry.spi.LogStream;
                import dev.gantry.spi.Resources;
                import dev.gantry.spi.RunHandle;
                import dev.gantry.spi.RunStatus;
                import java.time.Duration;
                import java.util.HashMap;
                import java.util.List;
                import java.util.Map;
                import java.util.Optional;

                public final class TestBackend implements Backend {

                    private final String id;
                    private final String type;
                    private final Map<String, String> labels = new HashMap<>();

                    public TestBackend(String id, String type, Map<String, String> labels) {
                        this.id = id;
                        this.type = type;
                        this.labels.putAll(labels);
                        this.labels.put("%s", contextIsPlugin());
                    }

                    @Override
                    public BackendDescriptor describe() {
                        Map<String, String> all = new HashMap<>(labels);
                        all.put("%s", contextIsPlugin());
                        var capabilities = new BackendCapabilities(gpus() > 0, false, false, false, false);
                        String region = labels.getOrDefault("%s", "test");
                        return new BackendDescriptor(id, type, region, all, capabilities, Optional.empty());
                    }

                    @Override
                    public Capacity capacity() {
                        if (labels.containsKey("%s")) {
                            throw new IllegalStateException(labels.get("%s"));
                        }
                        var resources = new Resources(1, 1L << 30, gpus());
                        return new Capacity(resources, resources, 1, 1);
                    }

                    private int gpus() {
                        return Integer.parseInt(labels.getOrDefault("%s", "0"));
                    }

                    @Override
                    public RunHandle launch(LaunchRequest request) throws BackendException {
                        throw new BackendException(BackendException.Kind.UNSUPPORTED, "test backend runs nothing");
                    }

                    @Override
                    public RunStatus status(RunHandle handle) {
                        return RunStatus.unknown("test backend runs nothing");
                    }

                    @Override
                    public void cancel(RunHandle handle, Duration grace) throws BackendException {
                        throw new BackendException(BackendException.Kind.NOT_FOUND, "no run " + handle.attemptId());
                    }

                    @Override
                    public LogChunk logs(RunHandle handle, LogStream stream, long offset, int maxBytes)
                            throws BackendException {
                        throw new BackendException(BackendException.Kind.NOT_FOUND, "no run " + handle.attemptId());
                    }

                    @Override
                    public List<RunHandle> runs() {
                        return List.of();
                    }

                    @Override
                    public void close() {
                        System.setProperty("%s" + id, contextIsPlugin());
                    }

                    private static String contextIsPlugin() {
                        ClassLoader context = Thread.currentThread().getContextClassLoader();
                        return String.valueOf(context == TestBackend.class.getClassLoader());
                    }
                }
                """.formatted(
                        packageName, CREATED_LABEL, CONTEXT_LABEL, REGION, CAPACITY_ERROR, CAPACITY_ERROR, GPUS,
                        CLOSE_PROPERTY);
    }
}
