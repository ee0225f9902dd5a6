package dev.gantry.backends.local.internal;

import com.sun.jna.Memory;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Starts processes with {@code posix_spawn}, without a shell and without the JDK's process
 * machinery: each process gets its own session and process group, default signal dispositions,
 * an empty signal mask, no descriptor of the JVM beyond its three standard ones, stdin from
 * {@code /dev/null}, and stdout and stderr appended straight to files, so no thread copies its
 * output.
 *
 * <p>Needs glibc 2.34 or later, for {@code posix_spawn_file_actions_addclosefrom_np}. Exec
 * failures (a missing or non-executable program) are reported by {@code posix_spawn} itself, since
 * glibc waits for the exec in the child before returning.
 */
public final class PosixSpawner {

    // glibc's posix_spawnattr_t is 336 bytes and posix_spawn_file_actions_t 80 on x86_64, and
    // sigset_t 128; generous blocks keep the layout glibc's own business.
    private static final int OPAQUE_STRUCT_BYTES = 1024;
    private static final int SIGSET_BYTES = 256;
    private static final int FILE_MODE = 0600;
    private static final int FIRST_INHERITED_FD_TO_CLOSE = 3;

    private static final LibC LIBC = LibC.INSTANCE;

    /** Starts the process {@code spec} describes and returns its process id. */
    public int spawn(SpawnSpec spec) throws NativeCallException {
        try (Memory attributes = new Memory(OPAQUE_STRUCT_BYTES);
                Memory fileActions = new Memory(OPAQUE_STRUCT_BYTES);
                Memory emptySet = new Memory(SIGSET_BYTES);
                Memory fullSet = new Memory(SIGSET_BYTES)) {
            NativeCallException.checkReturned("posix_spawnattr_init", LIBC.posix_spawnattr_init(attributes));
            try {
                NativeCallException.checkReturned(
                        "posix_spawn_file_actions_init", LIBC.posix_spawn_file_actions_init(fileActions));
                try {
                    setAttributes(attributes, emptySet, fullSet);
                    addFileActions(fileActions, spec);
                    return spawn(spec, fileActions, attributes);
                } finally {
                    LIBC.posix_spawn_file_actions_destroy(fileActions);
                }
            } finally {
                LIBC.posix_spawnattr_destroy(attributes);
            }
        }
    }

    private static void setAttributes(Memory attributes, Memory emptySet, Memory fullSet)
            throws NativeCallException {
        // Neither can fail on a valid set; glibc's full set leaves out its own internal signals.
        LIBC.sigemptyset(emptySet);
        LIBC.sigfillset(fullSet);
        short flags = (short) (LibC.POSIX_SPAWN_SETSID | LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF);
        NativeCallException.checkReturned("posix_spawnattr_setflags", LIBC.posix_spawnattr_setflags(attributes, flags));
        NativeCallException.checkReturned(
                "posix_spawnattr_setsigmask", LIBC.posix_spawnattr_setsigmask(attributes, emptySet));
        NativeCallException.checkReturned(
                "posix_spawnattr_setsigdefault", LIBC.posix_spawnattr_setsigdefault(attributes, fullSet));
    }

    private static void addFileActions(Memory fileActions, SpawnSpec spec) throws NativeCallException {
        // The JVM holds many descriptors without close-on-exec; none of them is the child's business.
        NativeCallException.checkReturned(
                "posix_spawn_file_actions_addclosefrom_np",
                LIBC.posix_spawn_file_actions_addclosefrom_np(fileActions, FIRST_INHERITED_FD_TO_CLOSE));
        addOpen(fileActions, 0, "/dev/null", LibC.O_RDONLY);
        addOpen(fileActions, 1, spec.stdout().toString(), LibC.O_WRONLY | LibC.O_CREAT | LibC.O_APPEND);
        addOpen(fileActions, 2, spec.stderr().toString(), LibC.O_WRONLY | LibC.O_CREAT | LibC.O_APPEND);
        NativeCallException.checkReturned(
                "posix_spawn_file_actions_addchdir_np",
                LIBC.posix_spawn_file_actions_addchdir_np(fileActions, spec.workingDirectory().toString()));
    }

    private static void addOpen(Memory fileActions, int fd, String path, int flags) throws NativeCallException {
        NativeCallException.checkReturned(
                "posix_spawn_file_actions_addopen",
                LIBC.posix_spawn_file_actions_addopen(fileActions, fd, path, flags, FILE_MODE));
    }

    private static int spawn(SpawnSpec spec, Memory fileActions, Memory attributes) throws NativeCallException {
        String encoding = StandardCharsets.UTF_8.name();
        try (StringArray argv = new StringArray(spec.arguments().toArray(String[]::new), encoding);
                StringArray envp = new StringArray(environmentEntries(spec.environment()), encoding)) {
            IntByReference pid = new IntByReference();
            NativeCallException.checkReturned(
                    "posix_spawn",
                    LIBC.posix_spawn(pid, spec.executable().toString(), fileActions, attributes, argv, envp));
            return pid.getValue();
        }
    }

    private static String[] environmentEntries(Map<String, String> environment) {
        return environment.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .sorted()
                .toArray(String[]::new);
    }
}
