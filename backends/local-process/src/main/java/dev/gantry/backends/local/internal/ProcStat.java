package dev.gantry.backends.local.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The facts of {@code /proc/<pid>/stat} the backend needs: whether a process id still names the
 * process it launched (the start time, field 22, differs for a recycled pid), and who its parent
 * is.
 *
 * @param state the one-letter state, {@code Z} for a zombie
 * @param parentPid the parent's process id
 * @param processGroup the process group id
 * @param session the session id
 * @param startTicks when the process started, in clock ticks after boot
 */
public record ProcStat(char state, int parentPid, int processGroup, int session, long startTicks) {

    private static final int FIRST_FIELD_AFTER_NAME = 3;
    private static final int STATE_FIELD = 3;
    private static final int PARENT_FIELD = 4;
    private static final int GROUP_FIELD = 5;
    private static final int SESSION_FIELD = 6;
    private static final int START_TIME_FIELD = 22;

    /** Reads the stat of {@code pid}, or nothing when no such process exists. */
    public static Optional<ProcStat> read(int pid) throws IOException {
        try {
            String line = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"), StandardCharsets.UTF_8);
            return Optional.of(parse(line));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // A process that exits while it is read makes the read fail with ESRCH.
            if (Files.exists(Path.of("/proc", Integer.toString(pid)))) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /** Whether {@code pid} names a process, possibly a zombie, that started at {@code startTicks}. */
    public static boolean isSameProcess(int pid, long startTicks) throws IOException {
        return read(pid).map(stat -> stat.startTicks() == startTicks).orElse(false);
    }

    /** Parses one line of {@code /proc/<pid>/stat}. */
    public static ProcStat parse(String line) {
        // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
        int nameEnd = line.lastIndexOf(')');
        if (nameEnd < 0) {
            throw new IllegalArgumentException("not a /proc stat line: " + line);
        }
        String[] fields = line.substring(nameEnd + 1).trim().split(" ");
        return new ProcStat(
                field(fields, STATE_FIELD).charAt(0),
                Integer.parseInt(field(fields, PARENT_FIELD)),
                Integer.parseInt(field(fields, GROUP_FIELD)),
                Integer.parseInt(field(fields, SESSION_FIELD)),
                Long.parseLong(field(fields, START_TIME_FIELD)));
    }

    private static String field(String[] fieldsAfterName, int field) {
        return fieldsAfterName[field - FIRST_FIELD_AFTER_NAME];
    }
}
