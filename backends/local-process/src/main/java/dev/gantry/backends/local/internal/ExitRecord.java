package dev.gantry.backends.local.internal;

import dev.gantry.spi.RunState;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * How and when an attempt ended, written to disk the moment its end is seen.
 *
 * @param state the terminal state
 * @param exitCode the exit code, when the backend could collect it
 * @param signal the signal that killed the process, if one did
 * @param endedAt when the end was seen
 * @param message a short explanation for people
 */
public record ExitRecord(
        RunState state, OptionalInt exitCode, Optional<String> signal, Instant endedAt, String message) {

    private static final int FILE_FORMAT = 1;

    public ExitRecord {
        if (!state.isTerminal()) {
            throw new IllegalArgumentException("an exit record needs a terminal state, not " + state);
        }
    }

    /** This record as properties, for the attempt's {@code exit.properties}. */
    public Properties toProperties() {
        Properties properties = new Properties();
        properties.setProperty("format", Integer.toString(FILE_FORMAT));
        properties.setProperty("state", state.name());
        exitCode.ifPresent(code -> properties.setProperty("exit-code", Integer.toString(code)));
        signal.ifPresent(name -> properties.setProperty("signal", name));
        properties.setProperty("ended-at", endedAt.toString());
        properties.setProperty("message", message);
        return properties;
    }

    /** Reads a record written by {@link #toProperties()}. */
    public static ExitRecord fromProperties(Properties properties) {
        PropertyReader reader = new PropertyReader(properties);
        return new ExitRecord(
                RunState.valueOf(reader.text("state")),
                reader.optionalText("exit-code").stream().mapToInt(Integer::parseInt).findFirst(),
                reader.optionalText("signal"),
                reader.instant("ended-at"),
                reader.optionalText("message").orElse(""));
    }
}
