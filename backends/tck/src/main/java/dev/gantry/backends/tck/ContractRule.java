package dev.gantry.backends.tck;

/**
 * The rules of the backend contract that the kit checks. Every assertion of the kit names one, so
 * a failure says which promise the backend broke rather than which line of the kit noticed.
 *
 * @since 0.1
 */
public enum ContractRule {
    /** A launched run ends on its own as {@code EXITED}. */
    RUN_EXITS("a launched run reaches EXITED when its workload ends"),
    /** The exit code the workload chose is the one reported. */
    EXIT_CODE_IS_REPORTED("the exit code of a run is reported as the workload chose it"),
    /** A finished run reports when it started and when it ended. */
    TIMES_ARE_REPORTED("a finished run reports when it started and when it ended"),
    /** A run still working is not reported as ended. */
    LIVE_RUN_IS_NOT_TERMINAL("a run that is still working is STARTING or RUNNING"),
    /** Output is kept whole and in the order it was written, per stream. */
    OUTPUT_IS_COMPLETE_AND_ORDERED("stdout and stderr are kept complete and in order"),
    /** A log page starts where it was asked to and holds at most the bytes asked for. */
    LOG_PAGE_IS_BOUNDED("logs returns at most maxBytes, starting at the offset asked for"),
    /** The log of a run that may still write is not reported complete. */
    LIVE_LOG_IS_NOT_COMPLETE("the log of a live run is not complete"),
    /** Cancel ends the run, which then reports {@code CANCELLED}. */
    CANCEL_ENDS_RUN("cancel ends the run with state CANCELLED"),
    /** Cancel ends every process the run started, not only the first. */
    CANCEL_ENDS_EVERYTHING("cancel ends everything the run spawned"),
    /**
     * Cancel right after launch ends everything the run spawns, also what it starts after the
     * cancel arrived: a backend that lists a run's processes once when it is cancelled misses them.
     */
    CANCEL_RIGHT_AFTER_LAUNCH_ENDS_EVERYTHING(
            "cancel right after launch ends everything the run spawns, also what it starts after the cancel"),
    /** Cancel forces a run that ignores the request to stop, after the grace period. */
    CANCEL_FORCES_STUBBORN_RUN("cancel forces a run that ignores the stop request once the grace is over"),
    /** Cancel does not hold its caller much longer than the grace period. */
    CANCEL_RETURNS_PROMPTLY("cancel does not block its caller much past the grace period"),
    /** Cancelling twice, or cancelling a finished run, changes nothing. */
    CANCEL_IS_IDEMPOTENT("cancelling twice or cancelling a finished run changes nothing"),
    /** A run that outlives its timeout is stopped and reports {@code TIMED_OUT}. */
    TIMEOUT_FIRES("a run that outlives its timeout ends as TIMED_OUT"),
    /** A timed out run leaves nothing it spawned behind. */
    TIMEOUT_ENDS_EVERYTHING("a timed out run leaves nothing it spawned running"),
    /** Launching an attempt id again returns the first handle and starts nothing. */
    DUPLICATE_LAUNCH_IS_ABSORBED("duplicate launch is absorbed"),
    /** {@code runs()} lists the runs that are live and none that ended. */
    RUNS_LISTS_LIVE_RUNS("runs() lists live runs and not finished ones"),
    /** A run the backend never issued has status {@code UNKNOWN}. */
    UNKNOWN_RUN_HAS_UNKNOWN_STATUS("a run the backend does not know has status UNKNOWN"),
    /** Logs and cancel of a run the backend never issued fail as {@code NOT_FOUND}. */
    UNKNOWN_RUN_IS_NOT_FOUND("logs and cancel of a run the backend does not know fail as NOT_FOUND"),
    /** A backend that does not claim GPUs refuses them as unsupported, leaving nothing behind. */
    UNCLAIMED_GPUS_ARE_UNSUPPORTED("a backend without the gpus capability refuses a GPU request as UNSUPPORTED"),
    /** A failed launch leaves no run behind. */
    FAILED_LAUNCH_LEAVES_NOTHING("a failed launch leaves nothing behind"),
    /** A backend that pushes status tells its listener when a run ends. */
    END_IS_PUSHED("a backend that pushes status reports the end of a run to its listener"),
    /** A backend that survives restarts finds its live runs again. */
    RESTART_FINDS_LIVE_RUNS("a restarted backend finds its live runs again"),
    /** A backend that survives restarts still controls the runs it found again. */
    RESTART_KEEPS_CONTROL("a restarted backend can cancel the runs it found again"),
    /** A backend that survives restarts keeps the status of runs that ended before. */
    RESTART_KEEPS_FINISHED_STATUS("a restarted backend reports the status of runs that ended before it"),
    /** {@code describe()} reports the id the backend was configured with. */
    DESCRIBE_NAMES_CONFIGURED_ID("describe reports the configured id"),
    /** {@code capacity()} never reports more free than total, nor fewer than zero free slots. */
    CAPACITY_IS_CONSISTENT("capacity never reports more free than total, nor fewer than zero free slots"),
    /** Every live run holds a slot, and gives it back once it has ended. */
    CAPACITY_TRACKS_RUNS(
            "freeSlots drops by at least one per live run and returns to its starting value once they end"),
    /** Concurrent launches of distinct attempts each start their own run. */
    CONCURRENT_LAUNCHES_ALL_RUN("concurrent launches of distinct attempts all run and end as their workloads chose"),
    /** {@code close()} may be called more than once. */
    CLOSE_IS_REPEATABLE("close may be called more than once"),
    /** {@code close()} leaves active runs running. */
    CLOSE_LEAVES_RUNS_RUNNING("close does not stop active runs"),
    /** Failures are only ever {@code BackendException}s, also from a closed backend. */
    FAILURES_ARE_BACKEND_EXCEPTIONS(
            "calls fail only with BackendException, also after close, and describe never fails"),
    /**
     * The plugin loads through the control plane's plugin loader and offers the type under test.
     * A factory whose {@code create} fails with the kit's settings is reported under it as well.
     */
    PLUGIN_LOADS("the plugin loads through the plugin loader and offers a factory of the type under test"),
    /** The factory was built for an SPI version the current SPI accepts. */
    SPI_VERSION_IS_COMPATIBLE("the factory reports an SPI version compatible with SpiVersion.CURRENT"),
    /** An {@code ENV} secret reaches the run as an environment variable. */
    ENV_SECRET_REACHES_RUN("an ENV secret reaches the run as an environment variable with its exact value"),
    /** A backend that cannot keep ENV secrets out of durable storage refuses them as unsupported. */
    UNPLACED_ENV_SECRETS_ARE_UNSUPPORTED(
            "a backend that does not place ENV secrets refuses one as UNSUPPORTED, leaving nothing behind"),
    /** A backend that claims secret files places a {@code FILE} secret the run can read. */
    FILE_SECRET_REACHES_RUN("a backend with the secretFiles capability places a FILE secret the run can read"),
    /** A backend that does not claim secret files refuses them as unsupported, leaving nothing behind. */
    UNCLAIMED_SECRET_FILES_ARE_UNSUPPORTED(
            "a backend without the secretFiles capability refuses a FILE secret as UNSUPPORTED"),
    /** A secret's value shows nowhere the backend reports to the control plane. */
    SECRET_IS_NOT_EXPOSED("a secret's value appears in no status, failure message or output the run did not write"),
    /** A backend that does not claim scaling refuses it as unsupported. */
    UNCLAIMED_SCALING_IS_UNSUPPORTED("a backend without the scales capability refuses scale as UNSUPPORTED"),
    /** A backend that claims scaling never stops running work to shrink. */
    SCALING_KEEPS_RUNS("scale never stops running work");

    private final String text;

    ContractRule(String text) {
        this.text = text;
    }

    /** The rule in words, such as {@code duplicate launch is absorbed}. */
    public String text() {
        return text;
    }

    /** The rule as failure messages show it, such as {@code rule: duplicate launch is absorbed}. */
    @Override
    public String toString() {
        return "rule: " + text;
    }
}
