package dev.gantry.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps {@code input.schema.json} and the conformance corpus in step: an input named
 * {@code NN-malformed-*.json} must break the schema (the policies still have to deny or reject it
 * safely), every other input must satisfy it.
 */
class InputSchemaTest {

    private static final Path CORPUS = Path.of("src/test/resources/conformance");
    private static final String SCHEMA = "classpath:dev/gantry/policy/input.schema.json";
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(VersionFlag.V202012);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormedInputs")
    void wellFormedInputSatisfiesTheSchema(Path input) throws IOException {
        Set<ValidationMessage> problems = schemaFor(input).validate(JSON.readTree(input.toFile()));

        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedInputs")
    void malformedInputBreaksTheSchema(Path input) throws IOException {
        Set<ValidationMessage> problems = schemaFor(input).validate(JSON.readTree(input.toFile()));

        assertThat(problems).isNotEmpty();
    }

    static Stream<Path> wellFormedInputs() throws IOException {
        return corpus().filter(input -> !isMalformed(input));
    }

    static Stream<Path> malformedInputs() throws IOException {
        return corpus().filter(InputSchemaTest::isMalformed);
    }

    private static JsonSchema schemaFor(Path input) {
        String definition = input.getParent().endsWith("admission") ? "admissionInput" : "placementInput";
        return SCHEMAS.getSchema(SchemaLocation.of(SCHEMA + "#/$defs/" + definition));
    }

    private static boolean isMalformed(Path input) {
        return input.getFileName().toString().matches("\\d+-malformed-.*");
    }

    private static Stream<Path> corpus() throws IOException {
        try (Stream<Path> files = Files.walk(CORPUS)) {
            List<Path> inputs = files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
            return inputs.stream();
        }
    }
}
