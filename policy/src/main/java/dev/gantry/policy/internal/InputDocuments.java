package dev.gantry.policy.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.policy.PolicyException;

/** Checks a policy input before any engine sees it, and names it by digest. */
public final class InputDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private InputDocuments() {
    }

    /**
     * Checks that the input is a JSON object and returns the SHA-256 of its text, hex encoded. OPA
     * would read anything else as an undefined input, and the policy would judge a job it was never
     * shown.
     *
     * @param inputJson the input document as the caller passed it
     * @param kind {@code admission} or {@code placement}, for the message
     * @throws PolicyException when the input is not valid JSON or not an object
     */
    public static String digestOfObject(String inputJson, String kind) throws PolicyException {
        requireNonNull(inputJson, "inputJson");
        try {
            if (!JSON.readTree(inputJson).isObject()) {
                throw new PolicyException(kind + " input is not a JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new PolicyException(kind + " input is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return Digests.sha256Hex(inputJson);
    }
}
