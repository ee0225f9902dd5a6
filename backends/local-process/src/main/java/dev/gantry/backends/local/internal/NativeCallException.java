package dev.gantry.backends.local.internal;

import java.io.IOException;

/** A call into the C library that failed, with the error number it reported. */
public final class NativeCallException extends IOException {

    private final int errorNumber;

    /** A failure of {@code function} with {@code errorNumber}, described by the C library. */
    public NativeCallException(String function, int errorNumber) {
        super(function + " failed: " + LibC.INSTANCE.strerror(errorNumber) + " (errno " + errorNumber + ")");
        this.errorNumber = errorNumber;
    }

    /** The {@code errno} value the call reported. */
    public int errorNumber() {
        return errorNumber;
    }

    /** Throws for {@code function} when {@code result} is a {@code posix_spawn}-style error number. */
    static void checkReturned(String function, int result) throws NativeCallException {
        if (result != 0) {
            throw new NativeCallException(function, result);
        }
    }
}
