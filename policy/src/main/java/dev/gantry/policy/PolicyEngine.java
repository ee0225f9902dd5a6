package dev.gantry.policy;

/**
 * Evaluates Gantry's admission and placement policies, written in Rego and evaluated by real Open
 * Policy Agent, never re-implemented in Java.
 *
 * <p>Inputs and results follow the documented policy input schema ({@code docs/policy-input.md};
 * the JSON Schema is {@code dev/gantry/policy/input.schema.json} on the class path). The control
 * plane calls an engine from many request and scheduler threads at once, so every
 * implementation is thread-safe. Evaluation may block briefly (an OPA server round trip); it never
 * returns a made-up decision: when no decision can be made it throws {@link PolicyException}, and
 * the caller must fail closed.
 */
public interface PolicyEngine extends AutoCloseable {

    /**
     * Decides whether a job may run, from the {@code gantry.admission} package.
     *
     * @param inputJson the admission input document as JSON
     * @throws PolicyException when the policy cannot be evaluated or its result is undefined or
     *     malformed
     */
    AdmissionDecision admit(String inputJson) throws PolicyException;

    /**
     * Ranks the candidate backends for a job, from the {@code gantry.placement} package.
     *
     * @param inputJson the placement input document as JSON, listing every candidate backend
     * @throws PolicyException when the policy cannot be evaluated or its result is undefined or
     *     malformed
     */
    PlacementDecision place(String inputJson) throws PolicyException;

    /** The revision of the policy bundle decisions currently come from. */
    String revision();

    /** Releases the engine's resources. May be called more than once. */
    @Override
    void close();
}
