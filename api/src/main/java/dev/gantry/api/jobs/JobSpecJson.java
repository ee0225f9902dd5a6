package dev.gantry.api.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.api.GantryConfiguration;
import dev.gantry.api.jobs.JobSpec.PlacementHints;
import dev.gantry.api.jobs.JobSpec.ResourceRequest;
import dev.gantry.api.jobs.JobSpec.RetrySpec;
import dev.gantry.api.web.FieldError;
import dev.gantry.api.web.InvalidRequestException;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Converts work descriptors between their REST JSON form and {@link JobSpec}.
 *
 * <p>Parsing checks every field and reports all problems at once, so a client fixes its request in
 * one round trip. Unknown fields are errors: a misspelt {@code timout} must not silently give a job
 * the default timeout. Only the shape and the syntax of values are checked here; limits such as the
 * largest CPU request belong to admission policy.
 */
@Singleton
public final class JobSpecJson {

    static final double DEFAULT_CPU = 1.0;
    static final long DEFAULT_MEMORY_BYTES = 512L << 20;
    static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
    static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
    static final int MAX_ATTEMPTS_LIMIT = 100;

    private static final Set<String> FIELDS = Set.of(
            "name", "tenant", "labels", "command", "env", "workingDir", "resources", "timeout", "retry",
            "placement", "priority");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,126}[A-Za-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    private static final int MAX_TEXT = 256;
    private static final int MAX_TENANT = 128;
    private static final int MAX_LABEL_VALUE = 256;
    private static final int MAX_LABELS = 64;
    private static final String RESERVED_ENV_PREFIX = "GANTRY_";
    private static final String TRACEPARENT = "TRACEPARENT";
    private static final int MAX_ARGUMENTS = 4096;

    private final Duration defaultTimeout;
    private final ObjectMapper mapper;

    public JobSpecJson(GantryConfiguration configuration, ObjectMapper mapper) {
        this.defaultTimeout = configuration.getDefaultJobTimeout();
        this.mapper = mapper;
    }

    /**
     * {@code spec} with labels added where it has none of that name, checked like a submitted job's
     * labels.
     *
     * @throws InvalidRequestException when the labels added make the job's labels invalid
     */
    public JobSpec withDefaultLabels(JobSpec spec, Map<String, String> defaults) {
        if (defaults.isEmpty()) {
            return spec;
        }
        ObjectNode root = write(spec);
        ObjectNode labels = (ObjectNode) root.get("labels");
        defaults.forEach((name, value) -> {
            if (!labels.has(name)) {
                labels.put(name, value);
            }
        });
        return parse(root);
    }

    /** Reads a descriptor stored by {@link #toText(JobSpec)}. */
    public JobSpec read(String stored) {
        try {
            return parse(mapper.readTree(stored));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("stored job descriptor is not valid JSON", e);
        }
    }

    /** Writes {@code spec} as compact JSON in a fixed field order, so equal specs give equal text. */
    public String toText(JobSpec spec) {
        try {
            return mapper.writeValueAsString(write(spec));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("job descriptor could not be written as JSON", e);
        }
    }

    /**
     * Reads a work descriptor, filling in defaults.
     *
     * @throws InvalidRequestException naming every field at fault
     */
    public JobSpec parse(JsonNode root) {
        var reader = new Reader();
        if (root == null || !root.isObject()) {
            reader.fail("", "the body must be a JSON object describing the job");
            throw new InvalidRequestException(reader.errors);
        }
        reader.rejectUnknown(root, "", FIELDS);
        JobSpec spec = new JobSpec(
                reader.text(root, "name", ""),
                reader.tenant(root),
                reader.labels(root.get("labels"), "labels"),
                reader.command(root),
                reader.env(root.get("env")),
                reader.workingDir(root),
                reader.resources(root.get("resources")),
                reader.duration(root, "timeout", "timeout", defaultTimeout),
                reader.retry(root.get("retry")),
                reader.placement(root.get("placement")),
                reader.integer(root, "priority", "priority", 0, -1000, 1000));
        if (!reader.errors.isEmpty()) {
            throw new InvalidRequestException(reader.errors);
        }
        return spec.name().isEmpty() ? withDefaultName(spec) : spec;
    }

    /** Writes {@code spec} in the REST form, every default spelled out. */
    public static ObjectNode write(JobSpec spec) {
        var json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        root.put("name", spec.name());
        root.put("tenant", spec.tenant());
        root.set("labels", stringMap(spec.labels()));
        root.set("command", stringList(spec.command()));
        root.set("env", stringMap(spec.env()));
        root.put("workingDir", spec.workingDir());
        ObjectNode resources = root.putObject("resources");
        resources.put("cpu", spec.resources().cpu());
        resources.put("memory", spec.resources().memoryBytes());
        resources.put("gpu", spec.resources().gpu());
        root.put("timeout", spec.timeout().toString());
        ObjectNode retry = root.putObject("retry");
        retry.put("maxAttempts", spec.retry().maxAttempts());
        ObjectNode backoff = retry.putObject("backoff");
        backoff.put("initial", spec.retry().initialBackoff().toString());
        backoff.put("max", spec.retry().maxBackoff().toString());
        backoff.put("multiplier", spec.retry().multiplier());
        ObjectNode placement = root.putObject("placement");
        placement.set("backends", stringList(spec.placement().backends()));
        placement.put("region", spec.placement().region());
        placement.set("labels", stringMap(spec.placement().labels()));
        placement.put("interruptible", spec.placement().interruptible());
        root.put("priority", spec.priority());
        return root;
    }

    private static JobSpec withDefaultName(JobSpec spec) {
        String program = spec.command().get(0);
        String name = program.substring(program.lastIndexOf('/') + 1);
        return new JobSpec(
                name.isEmpty() ? "job" : name, spec.tenant(), spec.labels(), spec.command(), spec.env(),
                spec.workingDir(), spec.resources(), spec.timeout(), spec.retry(), spec.placement(),
                spec.priority());
    }

    private static ObjectNode stringMap(Map<String, String> map) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        map.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(entry -> node.put(entry.getKey(), entry.getValue()));
        return node;
    }

    private static JsonNode stringList(List<String> values) {
        var array = JsonNodeFactory.instance.arrayNode();
        values.forEach(array::add);
        return array;
    }

    /** Reads fields one by one, collecting every problem instead of stopping at the first. */
    private final class Reader {

        private final List<FieldError> errors = new ArrayList<>();

        void fail(String field, String message) {
            errors.add(new FieldError(field, message));
        }

        void rejectUnknown(JsonNode object, String prefix, Set<String> known) {
            Iterator<String> names = object.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!known.contains(name)) {
                    fail(prefix + name, "is not a known field; known fields are " + String.join(", ", sorted(known)));
                }
            }
        }

        String text(JsonNode parent, String name, String fallback) {
            return text(parent, name, name, fallback);
        }

        String text(JsonNode parent, String name, String field, String fallback) {
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                return fallback;
            }
            if (!node.isTextual()) {
                fail(field, "must be a string");
                return fallback;
            }
            String value = node.textValue().strip();
            if (value.length() > MAX_TEXT) {
                fail(field, "must be at most " + MAX_TEXT + " characters");
                return fallback;
            }
            if (hasControlCharacter(value) || hasLoneSurrogate(value)) {
                fail(field, "must be printable Unicode text without control characters");
                return fallback;
            }
            return value;
        }

        String tenant(JsonNode root) {
            String tenant = text(root, "tenant", "");
            if (tenant.length() > MAX_TENANT) {
                fail("tenant", "must be at most " + MAX_TENANT + " characters");
                return "";
            }
            return tenant;
        }

        List<String> command(JsonNode root) {
            JsonNode node = root.get("command");
            if (node == null || node.isNull()) {
                fail("command", "is required: the program and its arguments as an array of strings");
                return List.of();
            }
            if (!node.isArray()) {
                fail("command", "must be an array of strings, such as [\"sha256sum\", \"file\"]");
                return List.of();
            }
            if (node.isEmpty()) {
                fail("command", "must not be empty: name at least the program to run");
                return List.of();
            }
            if (node.size() > MAX_ARGUMENTS) {
                fail("command", "must have at most " + MAX_ARGUMENTS + " elements");
                return List.of();
            }
            return commandElements(node);
        }

        private List<String> commandElements(JsonNode node) {
            List<String> command = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                JsonNode element = node.get(i);
                String field = "command[" + i + "]";
                if (!element.isTextual()) {
                    fail(field, "must be a string");
                } else if (element.textValue().indexOf('\0') >= 0) {
                    fail(field, "must not contain a NUL character");
                } else if (hasLoneSurrogate(element.textValue())) {
                    fail(field, "must be valid Unicode text");
                } else if (i == 0 && element.textValue().isBlank()) {
                    fail(field, "must name the program to run");
                } else {
                    command.add(element.textValue());
                }
            }
            return command;
        }

        Map<String, String> stringMap(JsonNode node, String field, Pattern keyFormat, String keyKind) {
            if (node == null || node.isNull()) {
                return Map.of();
            }
            if (!node.isObject()) {
                fail(field, "must be an object of string values");
                return Map.of();
            }
            Map<String, String> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(entry -> {
                String key = entry.getKey();
                JsonNode value = entry.getValue();
                if (!keyFormat.matcher(key).matches()) {
                    fail(field + "." + key, "'" + key + "' is not valid as " + keyKind);
                } else if (!value.isTextual()) {
                    fail(field + "." + key, "must be a string");
                } else if (value.textValue().indexOf('\0') >= 0) {
                    fail(field + "." + key, "must not contain a NUL character");
                } else if (hasLoneSurrogate(key) || hasLoneSurrogate(value.textValue())) {
                    fail(field + "." + key, "must be valid Unicode text");
                } else {
                    map.put(key, value.textValue());
                }
            });
            return map;
        }

        Map<String, String> env(JsonNode node) {
            Map<String, String> env = stringMap(node, "env", ENV_NAME, "an environment variable name");
            for (String name : env.keySet()) {
                if (name.startsWith(RESERVED_ENV_PREFIX) || name.equals(TRACEPARENT)) {
                    fail("env." + name, "is set by Gantry for every attempt and cannot be given by a job");
                }
            }
            return env;
        }

        Map<String, String> labels(JsonNode node, String field) {
            Map<String, String> labels = stringMap(node, field, LABEL_NAME, "a label name");
            if (labels.size() > MAX_LABELS) {
                fail(field, "must have at most " + MAX_LABELS + " labels");
                return Map.of();
            }
            labels.forEach((name, value) -> {
                if (value.length() > MAX_LABEL_VALUE) {
                    fail(field + "." + name, "must be at most " + MAX_LABEL_VALUE + " characters");
                }
            });
            return labels;
        }

        String workingDir(JsonNode root) {
            String dir = text(root, "workingDir", "");
            if (dir.startsWith("/")) {
                fail("workingDir", "must be relative to the attempt's own directory, not absolute");
                return "";
            }
            for (String part : dir.split("/")) {
                if (part.equals("..")) {
                    fail("workingDir", "must not leave the attempt's own directory with '..'");
                    return "";
                }
            }
            return dir;
        }

        ResourceRequest resources(JsonNode node) {
            if (node == null || node.isNull()) {
                return new ResourceRequest(DEFAULT_CPU, DEFAULT_MEMORY_BYTES, 0);
            }
            if (!node.isObject()) {
                fail("resources", "must be an object with cpu, memory and gpu");
                return new ResourceRequest(DEFAULT_CPU, DEFAULT_MEMORY_BYTES, 0);
            }
            rejectUnknown(node, "resources.", Set.of("cpu", "memory", "gpu"));
            return new ResourceRequest(cpu(node), memory(node), integer(node, "gpu", "resources.gpu", 0, 0, 1 << 16));
        }

        private double cpu(JsonNode resources) {
            JsonNode node = resources.get("cpu");
            if (node == null || node.isNull()) {
                return DEFAULT_CPU;
            }
            if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
                fail("resources.cpu", "must be a number of cores, such as 0.5 or 2");
                return DEFAULT_CPU;
            }
            if (node.doubleValue() <= 0) {
                fail("resources.cpu", "must be more than 0");
                return DEFAULT_CPU;
            }
            return node.doubleValue();
        }

        private long memory(JsonNode resources) {
            JsonNode node = resources.get("memory");
            if (node == null || node.isNull()) {
                return DEFAULT_MEMORY_BYTES;
            }
            long bytes = -1;
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                bytes = node.longValue();
            } else if (node.isTextual()) {
                bytes = MemorySize.parse(node.textValue());
            }
            if (bytes <= 0) {
                fail("resources.memory",
                        "must be a positive number of bytes or an amount such as \"512Mi\" or \"2Gi\"");
                return DEFAULT_MEMORY_BYTES;
            }
            return bytes;
        }

        int integer(JsonNode parent, String name, String field, int fallback, int min, int max) {
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                return fallback;
            }
            if (!node.isIntegralNumber()) {
                fail(field, "must be a whole number");
                return fallback;
            }
            if (!node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
                fail(field, "must be between " + min + " and " + max);
                return fallback;
            }
            return node.intValue();
        }

        Duration duration(JsonNode parent, String name, String field, Duration fallback) {
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                return fallback;
            }
            if (!node.isTextual()) {
                fail(field, "must be an ISO-8601 duration string, such as \"PT30S\" or \"PT2H\"");
                return fallback;
            }
            try {
                Duration value = Duration.parse(node.textValue());
                if (value.isNegative() || value.isZero()) {
                    fail(field, "must be positive, got \"" + node.textValue() + "\"");
                    return fallback;
                }
                return value;
            } catch (DateTimeParseException e) {
                fail(field, "\"" + node.textValue() + "\" is not an ISO-8601 duration such as \"PT30S\"");
                return fallback;
            }
        }

        RetrySpec retry(JsonNode node) {
            var defaults = new RetrySpec(1, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_BACKOFF_MULTIPLIER);
            if (node == null || node.isNull()) {
                return defaults;
            }
            if (!node.isObject()) {
                fail("retry", "must be an object with maxAttempts and backoff");
                return defaults;
            }
            rejectUnknown(node, "retry.", Set.of("maxAttempts", "backoff"));
            int maxAttempts = integer(node, "maxAttempts", "retry.maxAttempts", 1, 1, MAX_ATTEMPTS_LIMIT);
            return backoff(node.get("backoff"), maxAttempts, defaults);
        }

        private RetrySpec backoff(JsonNode node, int maxAttempts, RetrySpec defaults) {
            if (node == null || node.isNull()) {
                return new RetrySpec(
                        maxAttempts, defaults.initialBackoff(), defaults.maxBackoff(), defaults.multiplier());
            }
            if (!node.isObject()) {
                fail("retry.backoff", "must be an object with initial, max and multiplier");
                return defaults;
            }
            rejectUnknown(node, "retry.backoff.", Set.of("initial", "max", "multiplier"));
            Duration initial = duration(node, "initial", "retry.backoff.initial", defaults.initialBackoff());
            Duration max = duration(node, "max", "retry.backoff.max", defaults.maxBackoff());
            if (max.compareTo(initial) < 0) {
                fail("retry.backoff.max", "must not be shorter than retry.backoff.initial");
            }
            double multiplier = defaults.multiplier();
            JsonNode factor = node.get("multiplier");
            if (factor != null && !factor.isNull()) {
                if (!factor.isNumber() || factor.doubleValue() < 1 || factor.doubleValue() > 10) {
                    fail("retry.backoff.multiplier", "must be a number from 1 to 10");
                } else {
                    multiplier = factor.doubleValue();
                }
            }
            return new RetrySpec(maxAttempts, initial, max, multiplier);
        }

        PlacementHints placement(JsonNode node) {
            var none = new PlacementHints(List.of(), "", Map.of(), false);
            if (node == null || node.isNull()) {
                return none;
            }
            if (!node.isObject()) {
                fail("placement", "must be an object with backends, region, labels and interruptible");
                return none;
            }
            rejectUnknown(node, "placement.", Set.of("backends", "region", "labels", "interruptible"));
            return new PlacementHints(
                    backendIds(node.get("backends")),
                    text(node, "region", "placement.region", ""),
                    labels(node.get("labels"), "placement.labels"),
                    interruptible(node.get("interruptible")));
        }

        private boolean interruptible(JsonNode node) {
            if (node == null || node.isNull()) {
                return false;
            }
            if (!node.isBoolean()) {
                fail("placement.interruptible", "must be true or false");
                return false;
            }
            return node.booleanValue();
        }

        private List<String> backendIds(JsonNode node) {
            if (node == null || node.isNull()) {
                return List.of();
            }
            if (!node.isArray()) {
                fail("placement.backends", "must be an array of backend ids");
                return List.of();
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                JsonNode id = node.get(i);
                if (!id.isTextual() || !LABEL_NAME.matcher(id.textValue()).matches()) {
                    fail("placement.backends[" + i + "]", "must be a backend id");
                } else {
                    ids.add(id.textValue());
                }
            }
            return ids;
        }
    }

    private static boolean hasControlCharacter(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }

    /** Whether {@code value} holds half of a surrogate pair without the other half. */
    private static boolean hasLoneSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pairFollows = i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
            if (Character.isHighSurrogate(c) && pairFollows) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
