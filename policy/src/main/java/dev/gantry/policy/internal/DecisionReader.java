package dev.gantry.policy.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PlacementDecision;
import dev.gantry.policy.PlacementDecision.BackendChoice;
import dev.gantry.policy.PolicyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns the raw result set of a policy entrypoint into a decision, refusing anything that does not
 * have the documented shape: an undefined or malformed result is an error, never a default. Both
 * engines use it, so they accept and refuse the same decisions.
 */
public final class DecisionReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    // The label rules of a submitted job, so default labels a job could not carry are a malformed
    // decision here (caught by bundle probes and shadow) rather than a failed submission later.
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,126}[A-Za-z0-9])?");
    private static final int MAX_LABEL_VALUE = 256;

    private DecisionReader() {
    }

    /**
     * Reads an admission decision: {@code {"allow": boolean, "reasons": [string]}} with optional
     * {@code "defaults": {"labels": {string: string}}}.
     *
     * @throws PolicyException when the result is undefined or malformed
     */
    public static AdmissionDecision admission(String entrypoint, String resultSet, Provenance provenance)
            throws PolicyException {
        return admission(entrypoint, decision(entrypoint, resultSet), provenance);
    }

    /**
     * Reads an admission decision already taken out of its result set, such as the {@code result}
     * of an OPA Data API response.
     *
     * @throws PolicyException when the decision is not an object or is malformed
     */
    public static AdmissionDecision admission(String entrypoint, JsonNode decision, Provenance provenance)
            throws PolicyException {
        requireObject(entrypoint, decision);
        JsonNode allow = decision.get("allow");
        if (allow == null || !allow.isBoolean()) {
            throw malformed(entrypoint, "allow must be a boolean");
        }
        List<String> reasons = strings(entrypoint, decision.get("reasons"), "reasons");
        return new AdmissionDecision(
                allow.booleanValue(),
                reasons,
                defaults(entrypoint, decision.get("defaults")),
                provenance.revision(),
                provenance.inputDigest(),
                provenance.evaluationTime());
    }

    /**
     * Reads a placement decision: {@code {"backends": [choice], "rejected": [choice]}} where a choice
     * is {@code {"id": string, "reason": string}}, with an optional {@code "wait": [string]}.
     *
     * @throws PolicyException when the result is undefined or malformed
     */
    public static PlacementDecision placement(String entrypoint, String resultSet, Provenance provenance)
            throws PolicyException {
        return placement(entrypoint, decision(entrypoint, resultSet), provenance);
    }

    /**
     * Reads a placement decision already taken out of its result set, such as the {@code result}
     * of an OPA Data API response.
     *
     * @throws PolicyException when the decision is not an object or is malformed
     */
    public static PlacementDecision placement(String entrypoint, JsonNode decision, Provenance provenance)
            throws PolicyException {
        requireObject(entrypoint, decision);
        return new PlacementDecision(
                choices(entrypoint, decision.get("backends"), "backends"),
                choices(entrypoint, decision.get("rejected"), "rejected"),
                decision.has("wait") ? strings(entrypoint, decision.get("wait"), "wait") : List.of(),
                provenance.revision(),
                provenance.inputDigest(),
                provenance.evaluationTime());
    }

    /** The one result of a result set {@code [{"result": decision}]}, which must be an object. */
    private static JsonNode decision(String entrypoint, String resultSet) throws PolicyException {
        JsonNode results = parse(entrypoint, resultSet);
        if (!results.isArray()) {
            throw malformed(entrypoint, "the result set is not an array");
        }
        if (results.isEmpty()) {
            throw new PolicyException(entrypoint + " is undefined for this input");
        }
        if (results.size() > 1) {
            throw malformed(entrypoint, "the result set has " + results.size() + " results");
        }
        return results.get(0).get("result");
    }

    private static void requireObject(String entrypoint, JsonNode decision) throws PolicyException {
        if (decision == null || !decision.isObject()) {
            throw malformed(entrypoint, "the decision is not an object");
        }
    }

    private static JsonNode parse(String entrypoint, String resultSet) throws PolicyException {
        try {
            return JSON.readTree(resultSet);
        } catch (JsonProcessingException e) {
            throw new PolicyException(entrypoint + " returned a result that is not JSON", e);
        }
    }

    private static List<String> strings(String entrypoint, JsonNode array, String field)
            throws PolicyException {
        if (array == null || !array.isArray()) {
            throw malformed(entrypoint, field + " must be an array of strings");
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode element : array) {
            if (!element.isTextual()) {
                throw malformed(entrypoint, field + " must be an array of strings");
            }
            strings.add(element.textValue());
        }
        return strings;
    }

    private static AdmissionDecision.Defaults defaults(String entrypoint, JsonNode defaults)
            throws PolicyException {
        if (defaults == null) {
            return AdmissionDecision.Defaults.NONE;
        }
        if (!defaults.isObject()) {
            throw malformed(entrypoint, "defaults must be an object");
        }
        Iterator<String> names = defaults.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("labels")) {
                throw malformed(entrypoint, "defaults has an unknown field '" + name + "'; only labels is defined");
            }
        }
        JsonNode labels = defaults.get("labels");
        if (labels == null) {
            return AdmissionDecision.Defaults.NONE;
        }
        if (!labels.isObject()) {
            throw malformed(entrypoint, "defaults.labels must be an object of strings");
        }
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, JsonNode> label : labels.properties()) {
            if (!label.getValue().isTextual()) {
                throw malformed(entrypoint, "defaults.labels must be an object of strings");
            }
            String name = label.getKey();
            String value = label.getValue().textValue();
            if (!LABEL_NAME.matcher(name).matches()) {
                throw malformed(entrypoint, "defaults.labels has '" + abbreviated(name) + "', which is not a"
                        + " label name (letters, digits, '.', '_', '/', '-', at most 128, starting and ending"
                        + " alphanumeric)");
            }
            if (value.length() > MAX_LABEL_VALUE || value.chars().anyMatch(Character::isISOControl)) {
                throw malformed(entrypoint, "defaults.labels." + name + " must be at most " + MAX_LABEL_VALUE
                        + " characters without control characters");
            }
            values.put(name, value);
        }
        return new AdmissionDecision.Defaults(values);
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static List<BackendChoice> choices(String entrypoint, JsonNode array, String field)
            throws PolicyException {
        if (array == null || !array.isArray()) {
            throw malformed(entrypoint, field + " must be an array of {id, reason} objects");
        }
        List<BackendChoice> choices = new ArrayList<>();
        for (JsonNode element : array) {
            JsonNode id = element.get("id");
            JsonNode reason = element.get("reason");
            if (id == null || !id.isTextual() || reason == null || !reason.isTextual()) {
                throw malformed(entrypoint, field + " must be an array of {id, reason} objects with string values");
            }
            choices.add(new BackendChoice(id.textValue(), reason.textValue()));
        }
        return choices;
    }

    private static PolicyException malformed(String entrypoint, String problem) {
        return new PolicyException(entrypoint + " returned a malformed decision: " + problem);
    }

    /**
     * Where a decision came from, recorded on it.
     *
     * @param revision the bundle revision
     * @param inputDigest the SHA-256 of the input document, hex encoded
     * @param evaluationTime how long the evaluation took
     */
    public record Provenance(String revision, String inputDigest, Duration evaluationTime) {
    }
}
