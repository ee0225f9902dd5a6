package dev.gantry.spi;

/**
 * The one exception a backend throws. Its kind tells the control plane what went wrong and
 * whether another try may succeed; SDK and I/O exceptions are wrapped as the cause.
 *
 * @since 1.0
 */
public class BackendException extends Exception {

    /** What kind of failure this is. */
    public enum Kind {
        /** The request can never succeed as given; not retryable. */
        BAD_REQUEST(false),
        /** The run or resource does not exist; not retryable. */
        NOT_FOUND(false),
        /** No room now; retryable once capacity frees up. */
        CAPACITY(true),
        /** The runtime cannot be reached or refused temporarily; retryable. */
        UNAVAILABLE(true),
        /** The backend does not support what was asked; not retryable. */
        UNSUPPORTED(false),
        /** A fault inside the backend; retryable, as it may be transient. */
        INTERNAL(true);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        /** Whether another try of the same call may succeed. */
        public boolean isRetryable() {
            return retryable;
        }
    }

    private final Kind kind;

    public BackendException(Kind kind, String message) {
        super(message);
        this.kind = requireKind(kind);
    }

    public BackendException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = requireKind(kind);
    }

    /** What kind of failure this is. */
    public Kind kind() {
        return kind;
    }

    /** Whether another try of the same call may succeed. */
    public boolean isRetryable() {
        return kind.isRetryable();
    }

    private static Kind requireKind(Kind kind) {
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
        return kind;
    }
}
