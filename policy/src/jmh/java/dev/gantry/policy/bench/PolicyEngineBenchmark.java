package dev.gantry.policy.bench;

import dev.gantry.policy.PolicyEngine;
import dev.gantry.policy.PolicyException;
import dev.gantry.policy.embedded.WasmPolicyEngine;
import dev.gantry.policy.server.OpaServerConfiguration;
import dev.gantry.policy.server.OpaServerPolicyEngine;
import dev.gantry.policy.server.OpaServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What one job costs the control plane in policy time: one admission and one placement decision on
 * the default policies, with a realistic input of four candidate backends, on each engine. The
 * OPA server engine talks to a real {@code opa run --server} on loopback, started for the trial and
 * stopped after it. Sample time mode, so JMH reports percentiles (p50, p99) as well as the mean.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyEngineBenchmark {

    private static final String ADMISSION_INPUT = "conformance/admission/48-usage-within-default-quota.json";
    private static final String PLACEMENT_INPUT = "conformance/placement/47-burst-cheapest-cloud-first.json";
    private static final Path POLICIES = Path.of("src/main/rego");

    /** Which engine decides: the embedded WebAssembly one or an OPA server on loopback. */
    @Param({"embedded", "opa-server"})
    public String engine;

    private OpaServerProcess server;
    private PolicyEngine policies;
    private String admission;
    private String placement;

    /** Loads the inputs and starts the engine, and for the server engine the OPA server. */
    @Setup(Level.Trial)
    public void start() throws IOException, InterruptedException, PolicyException {
        admission = resource(ADMISSION_INPUT);
        placement = resource(PLACEMENT_INPUT);
        if (engine.equals("embedded")) {
            policies = WasmPolicyEngine.fromClasspath();
            return;
        }
        server = OpaServerProcess.start(POLICIES);
        policies = new OpaServerPolicyEngine(OpaServerConfiguration.of(server.url()));
    }

    /** Closes the engine and stops the OPA server, if one was started. */
    @TearDown(Level.Trial)
    public void stop() {
        if (policies != null) {
            policies.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** One job's worth of decisions: admit it, then place it. */
    @Benchmark
    public void admitThenPlace(Blackhole decisions) throws PolicyException {
        decisions.consume(policies.admit(admission));
        decisions.consume(policies.place(placement));
    }

    /** The admission decision alone, to see which half of a job's policy time is which. */
    @Benchmark
    public void admit(Blackhole decisions) throws PolicyException {
        decisions.consume(policies.admit(admission));
    }

    /** The placement decision alone. */
    @Benchmark
    public void place(Blackhole decisions) throws PolicyException {
        decisions.consume(policies.place(placement));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PolicyEngineBenchmark.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("benchmark input not on the class path: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
