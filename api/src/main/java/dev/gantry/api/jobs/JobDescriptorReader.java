package dev.gantry.api.jobs;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.web.InvalidRequestException;
import jakarta.inject.Singleton;

/**
 * Reads a job descriptor from a request body, for every endpoint that takes one, so they all
 * accept and refuse the same input with the same problem documents. Thread-safe; never blocks.
 */
@Singleton
public class JobDescriptorReader {

    private final JobSpecJson specs;
    private final ObjectMapper mapper;

    public JobDescriptorReader(JobSpecJson specs, ObjectMapper mapper) {
        this.specs = specs;
        this.mapper = mapper;
    }

    /**
     * Parses the body as strict JSON: a repeated field or text after the value is an error, never
     * silently dropped. The descriptor itself is not checked.
     *
     * @throws InvalidRequestException when the body is empty or not valid JSON
     */
    public JsonNode tree(String body) {
        if (body == null || body.isEmpty()) {
            throw InvalidRequestException.of("", "the body is empty: send the job descriptor as a JSON object");
        }
        try {
            return mapper.reader()
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(body);
        } catch (JsonProcessingException e) {
            throw InvalidRequestException.of("", "the body is not valid JSON: " + e.getOriginalMessage() + where(e));
        }
    }

    /**
     * Parses and checks the descriptor in the body, with every default applied.
     *
     * @throws InvalidRequestException naming every field at fault
     */
    public JobSpec spec(String body) {
        return specs.parse(tree(body));
    }

    private static String where(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        if (location == null) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
