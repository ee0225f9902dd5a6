package dev.gantry.backends.local.internal;

import java.util.Optional;

/**
 * How a process ended, decoded from the status word {@code waitpid} returns.
 *
 * @param exitCode the exit code; for a process killed by a signal, 128 plus the signal number, as
 *     shells report it
 * @param signal the name of the signal that killed the process, if one did
 */
public record WaitStatus(int exitCode, Optional<String> signal) {

    private static final int SIGNAL_MASK = 0x7f;
    private static final int STOPPED = 0x7f;
    private static final int EXIT_CODE_SHIFT = 8;
    private static final int BYTE = 0xff;
    private static final int SIGNAL_EXIT_BASE = 128;

    /** Decodes a status word of a process that has terminated. */
    public static WaitStatus decode(int status) {
        int signal = status & SIGNAL_MASK;
        if (signal == 0) {
            return new WaitStatus((status >> EXIT_CODE_SHIFT) & BYTE, Optional.empty());
        }
        if (signal == STOPPED) {
            throw new IllegalArgumentException("status " + status + " is of a stopped process, not an ended one");
        }
        return new WaitStatus(SIGNAL_EXIT_BASE + signal, Optional.of(Signals.name(signal)));
    }
}
