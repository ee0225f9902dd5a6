package dev.gantry.examples.federation.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.spi.LaunchRequest;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the job descriptor that forwards one attempt to the remote control plane.
 *
 * <p>The same request always gives the same descriptor, field for field and in the same order:
 * the remote absorbs a repeated submission only when the idempotency key and the body are both
 * the same.
 */
public final class JobDescriptors {

    /** The label naming the backend id that forwarded a job. */
    public static final String SOURCE_LABEL = "gantry-federation-source";
    /** The label naming the local attempt a job runs. */
    public static final String ATTEMPT_LABEL = "gantry-federation-attempt";

    /** Variables Gantry sets for every attempt, which a job may not give: the remote sets its own. */
    private static final String RESERVED_PREFIX = "GANTRY_";
    private static final String TRACEPARENT = "TRACEPARENT";

    private JobDescriptors() {
    }

    /**
     * The descriptor of {@code request} forwarded by backend {@code backendId} to run as
     * {@code tenant}. Retries stay with the local control plane, so the remote job gets exactly
     * one attempt. Resources of zero are left out, so the remote's defaults apply. The variables
     * the local control plane sets for every attempt ({@code TRACEPARENT}, {@code GANTRY_*}) are
     * left out too: the remote refuses them in a job and sets its own.
     */
    public static ObjectNode of(LaunchRequest request, String backendId, String tenant) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode job = json.objectNode();
        job.put("name", "federated-" + request.jobId() + "-" + request.attempt());
        job.put("tenant", tenant);
        job.set("labels", stringMap(labelsOf(request, backendId)));
        request.command().forEach(job.putArray("command")::add);
        job.set("env", stringMap(forwardedEnv(request.env())));
        if (!request.workingDirectory().isEmpty()) {
            job.put("workingDir", request.workingDirectory());
        }
        ObjectNode resources = job.putObject("resources");
        if (request.resources().cpu() > 0) {
            resources.put("cpu", request.resources().cpu());
        }
        if (request.resources().memoryBytes() > 0) {
            resources.put("memory", request.resources().memoryBytes());
        }
        resources.put("gpu", request.resources().gpu());
        job.put("timeout", request.timeout().toString());
        job.putObject("retry").put("maxAttempts", 1);
        return job;
    }

    private static Map<String, String> labelsOf(LaunchRequest request, String backendId) {
        Map<String, String> labels = new TreeMap<>(request.labels());
        labels.put(SOURCE_LABEL, backendId);
        labels.put(ATTEMPT_LABEL, request.attemptId());
        return labels;
    }

    private static Map<String, String> forwardedEnv(Map<String, String> env) {
        Map<String, String> forwarded = new TreeMap<>(env);
        forwarded.keySet().removeIf(name -> name.startsWith(RESERVED_PREFIX) || name.equals(TRACEPARENT));
        return forwarded;
    }

    private static ObjectNode stringMap(Map<String, String> values) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        new TreeMap<>(values).forEach(node::put);
        return node;
    }
}
