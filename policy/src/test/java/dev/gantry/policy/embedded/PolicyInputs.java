package dev.gantry.policy.embedded;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** Policy input documents for tests, built from a valid job and changed one field at a time. */
final class PolicyInputs {

    static final long GIB = 1L << 30;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String JOB = """
            {
              "name": "nightly-report",
              "tenant": "acme",
              "labels": {"team": "finance"},
              "command": ["python", "report.py"],
              "envNames": ["REPORT_DATE"],
              "workingDir": "/srv/reports",
              "resources": {"cpu": 4, "memoryBytes": 8589934592, "gpu": 0},
              "timeoutSeconds": 3600,
              "retry": {"maxAttempts": 3},
              "placement": {},
              "priority": 0
            }
            """;

    private static final String BACKEND = """
            {
              "id": "k8s",
              "type": "kubernetes",
              "region": "eu-west-1",
              "labels": {"tier": "cloud"},
              "capabilities": {"gpus": false, "pushesStatus": true, "survivesRestart": true},
              "capacity": {
                "free": {"cpu": 16, "memoryBytes": 68719476736, "gpu": 0},
                "total": {"cpu": 32, "memoryBytes": 137438953472, "gpu": 0},
                "freeSlots": 10,
                "totalSlots": 10
              }
            }
            """;

    private PolicyInputs() {
    }

    /** A job the default policy admits, submitted by a caller of the same tenant. */
    static ObjectNode admission() {
        ObjectNode input = JSON.createObjectNode();
        input.set("job", parse(JOB));
        input.set("caller", parse("{\"tenant\": \"acme\", \"subject\": \"alice\"}"));
        input.put("now", "2025-06-01T12:00:00Z");
        return input;
    }

    /** The admitted job and the given backends. */
    static ObjectNode placement(JsonNode... backends) {
        ObjectNode input = JSON.createObjectNode();
        input.set("job", parse(JOB));
        ArrayNode list = input.putArray("backends");
        for (JsonNode backend : backends) {
            list.add(backend);
        }
        return input;
    }

    /** A cloud backend with room for the job. */
    static ObjectNode backend(String id) {
        ObjectNode backend = (ObjectNode) parse(BACKEND);
        backend.put("id", id);
        return backend;
    }

    /** Sets the value at a JSON pointer such as {@code /job/resources/cpu}; the parent must exist. */
    static <T extends JsonNode> T with(T document, String pointer, Object value) {
        JsonPointer path = JsonPointer.compile(pointer);
        ObjectNode parent = (ObjectNode) document.at(path.head());
        parent.set(path.last().getMatchingProperty(), JSON.valueToTree(value));
        return document;
    }

    /** Removes the field at a JSON pointer. */
    static <T extends JsonNode> T without(T document, String pointer) {
        JsonPointer path = JsonPointer.compile(pointer);
        ((ObjectNode) document.at(path.head())).remove(path.last().getMatchingProperty());
        return document;
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(JsonNode document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
