package dev.gantry.policy.embedded.internal;

import com.styra.opa.wasm.OpaPolicy;
import com.styra.opa.wasm.OpaPolicyPool;
import dev.gantry.policy.PolicyException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A bounded pool of WebAssembly instances of one bundle's policy, lent to one thread at a time.
 *
 * <p>An {@link OpaPolicy} keeps its heap between calls and is not thread-safe, so each evaluation
 * borrows an instance, loads the data and input into it, evaluates and returns it. Instances are
 * created on demand, up to the pool size; a caller beyond that waits for one to come back. An
 * instance whose evaluation failed is dropped rather than reused, since its heap may be corrupt.
 */
public final class PolicyInstances implements AutoCloseable {

    private final OpaPolicyPool pool;
    private final String dataJson;
    private final Map<String, Integer> entrypoints;

    private PolicyInstances(OpaPolicyPool pool, String dataJson, Map<String, Integer> entrypoints) {
        this.pool = pool;
        this.dataJson = dataJson;
        this.entrypoints = entrypoints;
    }

    /**
     * Creates the pool and one instance, which checks that the module loads and has the entrypoints.
     *
     * @param bundle the bundle whose policy to run
     * @param maxInstances the most instances that evaluate at once
     * @param requiredEntrypoints entrypoints the module must export, such as {@code gantry/admission/decision}
     * @throws PolicyException when the module cannot be instantiated or lacks an entrypoint
     */
    public static PolicyInstances create(WasmBundle bundle, int maxInstances, Set<String> requiredEntrypoints)
            throws PolicyException {
        if (maxInstances < 1) {
            throw new IllegalArgumentException("maxInstances must be at least 1, got " + maxInstances);
        }
        OpaPolicyPool pool = OpaPolicyPool.create(() -> instantiate(bundle), maxInstances);
        Map<String, Integer> entrypoints = exportedEntrypoints(pool, bundle.origin());
        for (String required : requiredEntrypoints) {
            if (!entrypoints.containsKey(required)) {
                pool.close();
                throw new PolicyException("policy bundle " + bundle.origin() + " has no entrypoint " + required
                        + "; build it with -e " + required);
            }
        }
        return new PolicyInstances(pool, bundle.dataJson(), Map.copyOf(entrypoints));
    }

    /**
     * Evaluates one entrypoint on a borrowed instance; blocks while every instance is busy.
     *
     * @param entrypoint an entrypoint checked at creation
     * @param inputJson the input document, already known to be JSON
     * @return the raw result set, {@code []} when the entrypoint is undefined for this input, and the
     *     evaluation time
     * @throws PolicyException when evaluation fails, the caller is interrupted or the pool is closed
     */
    public Result evaluate(String entrypoint, String inputJson) throws PolicyException {
        int entrypointId = entrypoints.get(entrypoint);
        OpaPolicyPool.Loan loan = borrowFrom(pool);
        boolean healthy = false;
        try {
            long start = System.nanoTime();
            String resultSet = loan.policy().entrypoint(entrypointId).data(dataJson).input(inputJson).evaluate();
            Duration evaluationTime = Duration.ofNanos(System.nanoTime() - start);
            healthy = true;
            return new Result(resultSet, evaluationTime);
        } catch (RuntimeException e) {
            throw new PolicyException("evaluation of " + entrypoint + " failed: " + e.getMessage(), e);
        } finally {
            if (healthy) {
                loan.close();
            } else {
                loan.discard();
            }
        }
    }

    /** Stops lending instances; evaluations already running finish normally. */
    @Override
    public void close() {
        pool.close();
    }

    private static OpaPolicy instantiate(WasmBundle bundle) {
        try {
            return OpaPolicy.builder().withPolicy(bundle.wasm()).build();
        } catch (LinkageError e) {
            // Rethrown unchecked so the pool releases its permit, which it does only for runtime exceptions.
            throw new IllegalStateException("cannot compile the policy module to bytecode, a library version"
                    + " conflict (the Chicory compiler needs ASM 9.9.1 or newer): " + e, e);
        }
    }

    private static Map<String, Integer> exportedEntrypoints(OpaPolicyPool pool, String origin)
            throws PolicyException {
        try (OpaPolicyPool.Loan loan = borrowFrom(pool)) {
            return loan.policy().entrypoints();
        } catch (RuntimeException e) {
            pool.close();
            throw new PolicyException("cannot load the WebAssembly policy of bundle " + origin + ": "
                    + e.getMessage(), e);
        }
    }

    private static OpaPolicyPool.Loan borrowFrom(OpaPolicyPool pool) throws PolicyException {
        try {
            return pool.borrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolicyException("interrupted while waiting for a policy instance", e);
        } catch (RuntimeException e) {
            // The pool is closed, or creating a new instance failed.
            throw new PolicyException("no policy instance available: " + e.getMessage(), e);
        }
    }

    /**
     * What one evaluation produced.
     *
     * @param resultSet the raw result set as JSON: an array of {@code {"result": ...}} objects
     * @param evaluationTime the time spent loading data and input and evaluating, without waiting for an instance
     */
    public record Result(String resultSet, Duration evaluationTime) {
    }
}
