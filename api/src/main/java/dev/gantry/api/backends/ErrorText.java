package dev.gantry.api.backends;

import dev.gantry.spi.BackendException;

/** One-line descriptions of what a backend or plugin threw, for entries and API responses. */
final class ErrorText {

    private ErrorText() {
    }

    /**
     * A backend's own message as it is, since the SPI asks for one an operator can act on; for
     * anything else the exception's simple class name first, as it is often the only clue.
     */
    static String of(Throwable error) {
        String message = error.getMessage();
        if (error instanceof BackendException && message != null) {
            return message;
        }
        String name = error.getClass().getSimpleName();
        return message == null ? name : name + ": " + message;
    }
}
