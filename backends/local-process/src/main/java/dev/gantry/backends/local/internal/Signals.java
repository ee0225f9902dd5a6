package dev.gantry.backends.local.internal;

import java.util.List;

/** Names of Linux signals, as {@code kill -l} spells them with the {@code SIG} prefix. */
public final class Signals {

    private static final List<String> CLASSIC_NAMES = List.of(
            "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
            "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
            "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
            "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS");
    private static final int FIRST_REALTIME = 34;
    private static final int LAST_REALTIME = 64;

    private Signals() {
    }

    /** The name of signal {@code number}, such as {@code SIGKILL} for 9 or {@code SIGRTMIN+2} for 36. */
    public static String name(int number) {
        if (number >= 1 && number <= CLASSIC_NAMES.size()) {
            return CLASSIC_NAMES.get(number - 1);
        }
        if (number >= FIRST_REALTIME && number <= LAST_REALTIME) {
            return "SIGRTMIN+" + (number - FIRST_REALTIME);
        }
        return "SIG" + number;
    }
}
