package dev.gantry.api.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.api.jobs.JobSpec;
import dev.gantry.api.jobs.TenantUsage;
import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendDescriptor;
import dev.gantry.spi.Capacity;
import dev.gantry.spi.Resources;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds the policy input documents described in {@code docs/policy-input.md}. Environment values
 * never enter an input: policy sees the names only.
 */
@Singleton
public class PolicyInputs {

    private final ObjectMapper mapper;
    private final Clock clock;

    public PolicyInputs(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * The admission input for a job submitted by the caller, with what the job's tenant already
     * has in the system so policy can apply quotas; a null {@code usage} leaves it out, and policy
     * then checks no quota.
     */
    public String admission(JobSpec spec, TenantUsage usage) {
        ObjectNode input = mapper.createObjectNode();
        input.set("job", job(spec));
        ObjectNode caller = input.putObject("caller");
        caller.put("tenant", spec.tenant());
        caller.put("subject", "anonymous");
        caller.putArray("roles");
        input.put("now", clock.instant().toString());
        if (usage != null) {
            input.set("usage", usage(usage));
        }
        return text(input);
    }

    /**
     * The placement input for a job, what its tenant has in the system besides it, and every
     * candidate backend with its capacity now.
     */
    public String placement(JobSpec spec, TenantUsage usage, List<Candidate> candidates) {
        ObjectNode input = mapper.createObjectNode();
        input.set("job", job(spec));
        input.set("usage", usage(usage));
        ArrayNode backends = input.putArray("backends");
        candidates.forEach(candidate -> backends.add(backend(candidate)));
        input.put("now", clock.instant().toString());
        return text(input);
    }

    /**
     * A backend offered to placement, with the capacity read just before.
     *
     * @param backend the backend
     * @param capacity its capacity now
     */
    public record Candidate(Backend backend, Capacity capacity) {
    }

    private ObjectNode job(JobSpec spec) {
        ObjectNode job = mapper.createObjectNode();
        job.put("name", spec.name());
        job.put("tenant", spec.tenant());
        job.set("labels", stringMap(spec.labels()));
        ArrayNode command = job.putArray("command");
        spec.command().forEach(command::add);
        ArrayNode envNames = job.putArray("envNames");
        new TreeSet<>(spec.env().keySet()).forEach(envNames::add);
        job.put("workingDir", spec.workingDir());
        ObjectNode resources = job.putObject("resources");
        resources.put("cpu", spec.resources().cpu());
        resources.put("memoryBytes", spec.resources().memoryBytes());
        resources.put("gpu", spec.resources().gpu());
        job.put("timeoutSeconds", spec.timeout().toMillis() / 1000.0);
        job.putObject("retry").put("maxAttempts", spec.retry().maxAttempts());
        ObjectNode placement = job.putObject("placement");
        ArrayNode backends = placement.putArray("backends");
        spec.placement().backends().forEach(backends::add);
        placement.put("region", spec.placement().region());
        placement.set("labels", stringMap(spec.placement().labels()));
        placement.put("interruptible", spec.placement().interruptible());
        job.put("priority", spec.priority());
        return job;
    }

    private ObjectNode usage(TenantUsage usage) {
        ObjectNode node = mapper.createObjectNode();
        node.put("runningJobs", usage.runningJobs());
        node.put("queuedJobs", usage.queuedJobs());
        node.put("cpu", usage.cpu());
        node.put("memoryBytes", usage.memoryBytes());
        return node;
    }

    private ObjectNode backend(Candidate candidate) {
        BackendDescriptor descriptor = candidate.backend().describe();
        ObjectNode node = mapper.createObjectNode();
        node.put("id", descriptor.id());
        node.put("type", descriptor.type());
        node.put("region", descriptor.region());
        node.set("labels", stringMap(descriptor.labels()));
        ObjectNode capabilities = node.putObject("capabilities");
        capabilities.put("gpus", descriptor.capabilities().gpus());
        capabilities.put("pushesStatus", descriptor.capabilities().pushesStatus());
        capabilities.put("survivesRestart", descriptor.capabilities().survivesRestart());
        ObjectNode capacity = node.putObject("capacity");
        capacity.set("free", resources(candidate.capacity().free()));
        capacity.set("total", resources(candidate.capacity().total()));
        capacity.put("freeSlots", candidate.capacity().freeSlots());
        capacity.put("totalSlots", candidate.capacity().totalSlots());
        descriptor.price().ifPresent(price -> {
            ObjectNode priceNode = node.putObject("price");
            priceNode.put("currency", price.currency());
            priceNode.put("perCpuHour", price.perCpuHour());
            priceNode.put("perGibHour", price.perGibHour());
            priceNode.put("perGpuHour", price.perGpuHour());
            priceNode.put("interruptible", price.interruptible());
        });
        return node;
    }

    private ObjectNode resources(Resources resources) {
        ObjectNode node = mapper.createObjectNode();
        node.put("cpu", resources.cpu());
        node.put("memoryBytes", resources.memoryBytes());
        node.put("gpu", resources.gpu());
        return node;
    }

    private ObjectNode stringMap(Map<String, String> map) {
        ObjectNode node = mapper.createObjectNode();
        new TreeSet<>(map.keySet()).forEach(key -> node.put(key, map.get(key)));
        return node;
    }

    private String text(ObjectNode input) {
        try {
            return mapper.writeValueAsString(input);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("policy input could not be written as JSON", e);
        }
    }
}
