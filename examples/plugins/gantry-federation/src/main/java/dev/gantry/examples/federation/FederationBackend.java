package dev.gantry.examples.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.examples.federation.internal.JobDescriptors;
import dev.gantry.examples.federation.internal.LiveRuns;
import dev.gantry.examples.federation.internal.RemoteGantry;
import dev.gantry.examples.federation.internal.RemoteJob;
import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendCapabilities;
import dev.gantry.spi.BackendDescriptor;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.BackendException.Kind;
import dev.gantry.spi.Capacity;
import dev.gantry.spi.LaunchRequest;
import dev.gantry.spi.LogChunk;
import dev.gantry.spi.LogStream;
import dev.gantry.spi.RunHandle;
import dev.gantry.spi.RunStatus;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each attempt on another Gantry control plane, reached over its v1 REST API: an on-premises
 * Gantry federating with a cloud one, say. The remote job is the run, and its id the handle's
 * reference; the remote's own admission and placement policy decide whether and where it runs.
 *
 * <p>What the remote does not offer, this backend does not pretend to:
 *
 * <ul>
 *   <li>Secrets are refused as {@link Kind#UNSUPPORTED}, {@link dev.gantry.spi.Secret.Target#ENV}
 *       ones too: the remote stores a job's environment with the job and shows it in its API, and
 *       a secret must be written nowhere that outlives the run.
 *   <li>Cancel asks the remote to cancel; the remote stops the run with its own grace period, so
 *       the grace passed to {@link #cancel} is not used.
 *   <li>Logs come from the remote's log endpoint, which does not say whether it capped a stream:
 *       chunks are never marked truncated.
 *   <li>The variables the local control plane sets for every attempt ({@code TRACEPARENT},
 *       {@code GANTRY_JOB_ID}, {@code GANTRY_ATTEMPT}) are not forwarded: the remote refuses them
 *       in a job and sets its own, so the run sees the remote's job id and trace.
 * </ul>
 *
 * <p>Runs live on the remote, so they survive a restart of either control plane; a new instance
 * finds them again through {@link #runs()}, which lists the live remote jobs labelled with this
 * backend's id under the configured tenant. Thread-safe; every call makes at most a few requests
 * to the remote, each bounded by {@link FederationSettings#requestTimeout()}.
 *
 * @since 0.1
 */
public final class FederationBackend implements Backend {

    /** The type this backend is configured with. */
    public static final String TYPE = "gantry-federation";
    /** The format of the handles this backend issues: the reference is the remote job id. */
    public static final int HANDLE_FORMAT = 1;

    private static final Logger LOG = LoggerFactory.getLogger(FederationBackend.class);
    private static final List<String> LIVE_STATES = List.of("PENDING", "SCHEDULED", "RUNNING", "RETRYING");
    private static final int PAGE_SIZE = 500;

    private final String id;
    private final FederationSettings settings;
    private final RemoteGantry remote;
    private final LiveRuns live;
    private final Map<String, CompletableFuture<RunHandle>> launching = new ConcurrentHashMap<>();

    /** A backend with id {@code id} forwarding to the remote that {@code settings} name. */
    public FederationBackend(String id, FederationSettings settings) {
        this.id = id;
        this.settings = settings;
        this.remote = new RemoteGantry(settings.url(), settings.requestTimeout(), "gantry-federation-" + id);
        this.live = new LiveRuns(settings.total(), settings.slots());
    }

    @Override
    public BackendDescriptor describe() {
        var capabilities = new BackendCapabilities(settings.total().gpu() > 0, false, true, false, false);
        return new BackendDescriptor(id, TYPE, settings.region(), settings.labels(), capabilities, Optional.empty());
    }

    /** The configured slots and resources less what live forwarded runs hold; asks the remote nothing. */
    @Override
    public Capacity capacity() {
        return live.capacity();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Submits the attempt with its id as the {@code Idempotency-Key}, so a repeated launch,
     * also from a restarted control plane, returns the remote job the first one created.
     * Concurrent launches of one attempt share one submission. When the submission fails in a way
     * that may have created the job all the same (the answer was lost, the remote failed midway),
     * the job is looked up by its labels and cancelled before the failure is reported; when the
     * remote stays out of reach that is not possible, and {@link #runs()} shows the job later.
     */
    @Override
    public RunHandle launch(LaunchRequest request) throws BackendException {
        checkCanRun(request);
        Optional<String> known = live.remoteJobOf(request.attemptId());
        if (known.isPresent()) {
            return handleOf(request.attemptId(), known.get());
        }
        CompletableFuture<RunHandle> mine = new CompletableFuture<>();
        CompletableFuture<RunHandle> earlier = launching.putIfAbsent(request.attemptId(), mine);
        if (earlier != null) {
            return awaitLaunch(earlier, request.attemptId());
        }
        try {
            RunHandle handle = forward(request);
            mine.complete(handle);
            return handle;
        } catch (BackendException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            launching.remove(request.attemptId(), mine);
        }
    }

    /** {@inheritDoc} A handle that names no remote job of this backend has status unknown. */
    @Override
    public RunStatus status(RunHandle handle) throws BackendException {
        if (!isIssuedFormat(handle)) {
            return RunStatus.unknown("handle " + handle.reference() + " was not issued by a " + TYPE + " backend");
        }
        Optional<RemoteJob> job = remote.job(handle.reference()).map(RemoteJob::of);
        if (job.isEmpty() || !isOwnRun(job.get(), handle.attemptId())) {
            live.ended(handle.attemptId());
            return RunStatus.unknown("remote Gantry has no job " + handle.reference() + " of attempt "
                    + handle.attemptId() + " from backend " + id);
        }
        RunStatus status = job.get().toRunStatus();
        track(handle.attemptId(), job.get(), status);
        return status;
    }

    /** {@inheritDoc} The remote stops the run with its own grace period, not {@code grace}. */
    @Override
    public void cancel(RunHandle handle, Duration grace) throws BackendException {
        RemoteJob job = ownRun(handle, "cancel");
        if (job.isTerminal()) {
            return;
        }
        remote.cancel(job.id());
        LOG.info("run cancel forwarded backend={} attemptId={} remoteJobId={}", id, handle.attemptId(), job.id());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads the remote job's state before its output, so a chunk is only marked complete when
     * the job had ended before the read and the remote sent nothing past it.
     */
    @Override
    public LogChunk logs(RunHandle handle, LogStream stream, long offset, int maxBytes) throws BackendException {
        if (offset < 0 || maxBytes < 0) {
            throw new BackendException(Kind.BAD_REQUEST, "offset and maxBytes must not be negative");
        }
        RemoteJob job = ownRun(handle, "logs");
        boolean ended = job.isTerminal();
        var read = remote.logs(job.id(), stream.name().toLowerCase(Locale.ROOT), offset, maxBytes);
        return new LogChunk(offset, read.data(), false, Long.MAX_VALUE, ended && read.atEnd());
    }

    @Override
    public List<RunHandle> runs() throws BackendException {
        List<RunHandle> handles = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = remote.jobs(List.of(sourceLabel()), LIVE_STATES, PAGE_SIZE, cursor);
            for (JsonNode node : page.path("jobs")) {
                RemoteJob job = RemoteJob.of(node);
                Optional<String> attemptId = job.label(JobDescriptors.ATTEMPT_LABEL);
                if (job.tenant().equals(settings.tenant()) && attemptId.isPresent() && !job.isTerminal()) {
                    live.confirm(attemptId.get(), job.id(), job.resources());
                    handles.add(handleOf(attemptId.get(), job.id()));
                }
            }
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").textValue() : null;
        } while (cursor != null);
        return handles;
    }

    /** {@inheritDoc} Runs on the remote keep going; a new instance finds them with {@link #runs()}. */
    @Override
    public void close() {
        remote.close();
    }

    private void checkCanRun(LaunchRequest request) throws BackendException {
        if (!request.secrets().isEmpty()) {
            throw new BackendException(Kind.UNSUPPORTED, "attempt " + request.attemptId() + " needs secrets, which "
                    + TYPE + " backend " + id + " cannot place: the remote Gantry would store them with the job");
        }
        if (request.resources().gpu() > 0 && !describe().capabilities().gpus()) {
            throw new BackendException(Kind.UNSUPPORTED, "attempt " + request.attemptId() + " asks for "
                    + request.resources().gpu() + " GPUs and backend " + id + " has none configured");
        }
        if (!settings.total().fits(request.resources())) {
            throw new BackendException(Kind.BAD_REQUEST, "attempt " + request.attemptId() + " asks for "
                    + request.resources() + ", more than backend " + id + " forwards at once: " + settings.total());
        }
    }

    private RunHandle forward(LaunchRequest request) throws BackendException {
        String attemptId = request.attemptId();
        if (!live.reserve(attemptId, request.resources())) {
            throw new BackendException(Kind.CAPACITY, "backend " + id + " has no room for attempt " + attemptId
                    + ": " + live.capacity());
        }
        RemoteJob job;
        try {
            job = RemoteJob.of(remote.submit(JobDescriptors.of(request, id, settings.tenant()), attemptId));
        } catch (BackendException e) {
            live.release(attemptId);
            if (e.isRetryable() && mayHaveReachedRemote(e)) {
                withdraw(attemptId);
            }
            throw e;
        }
        if (!RemoteGantry.isJobId(job.id()) || !isOwnRun(job, attemptId)) {
            live.release(attemptId);
            throw new BackendException(Kind.UNAVAILABLE, "forwarding attempt " + attemptId + " failed: remote job '"
                    + job.id() + "' answered for its idempotency key but is not its run from backend " + id);
        }
        if (job.isTerminal()) {
            // A repeated launch of an attempt that has ended since: it holds no room any more.
            live.release(attemptId);
        } else {
            live.confirm(attemptId, job.id(), request.resources());
        }
        LOG.info("attempt forwarded backend={} attemptId={} remoteJobId={}", id, attemptId, job.id());
        return handleOf(attemptId, job.id());
    }

    /**
     * Cancels what a submission that failed on the way may have created after all: when the answer
     * was lost, the remote may hold a job for an attempt the control plane now believes never
     * started.
     */
    private void withdraw(String attemptId) {
        List<String> labels = List.of(sourceLabel(), JobDescriptors.ATTEMPT_LABEL + "=" + attemptId);
        try {
            for (JsonNode node : remote.jobs(labels, LIVE_STATES, PAGE_SIZE, null).path("jobs")) {
                String remoteJobId = RemoteJob.of(node).id();
                if (RemoteGantry.isJobId(remoteJobId)) {
                    remote.cancel(remoteJobId);
                    LOG.warn("half-forwarded attempt withdrawn backend={} attemptId={} remoteJobId={}",
                            id, attemptId, remoteJobId);
                }
            }
        } catch (BackendException e) {
            // The remote is still out of reach; a job it created shows up in runs() for reconciliation.
            LOG.warn("half-forwarded attempt not withdrawn backend={} attemptId={} reason={}",
                    id, attemptId, e.getMessage());
        }
    }

    /** False when the request certainly never left: no connection could be made, or the backend is closed. */
    private boolean mayHaveReachedRemote(BackendException failure) {
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
                return false;
            }
        }
        return !remote.isClosed();
    }

    private static RunHandle awaitLaunch(CompletableFuture<RunHandle> launch, String attemptId)
            throws BackendException {
        try {
            return launch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException(Kind.UNAVAILABLE, "waiting for the launch of attempt " + attemptId
                    + " was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BackendException failure) {
                throw new BackendException(failure.kind(), failure.getMessage(), failure);
            }
            throw new BackendException(Kind.INTERNAL, "launch of attempt " + attemptId + " failed", e.getCause());
        }
    }

    private RemoteJob ownRun(RunHandle handle, String call) throws BackendException {
        if (isIssuedFormat(handle)) {
            Optional<RemoteJob> job = remote.job(handle.reference()).map(RemoteJob::of);
            if (job.isPresent() && isOwnRun(job.get(), handle.attemptId())) {
                return job.get();
            }
        }
        throw new BackendException(Kind.NOT_FOUND, call + " of attempt " + handle.attemptId() + " failed: backend "
                + id + " has no run " + handle.reference());
    }

    private boolean isOwnRun(RemoteJob job, String attemptId) {
        return job.label(JobDescriptors.SOURCE_LABEL).filter(id::equals).isPresent()
                && job.label(JobDescriptors.ATTEMPT_LABEL).filter(attemptId::equals).isPresent();
    }

    private void track(String attemptId, RemoteJob job, RunStatus status) {
        if (status.state().isTerminal()) {
            live.ended(attemptId);
        } else {
            live.confirm(attemptId, job.id(), job.resources());
        }
    }

    private String sourceLabel() {
        return JobDescriptors.SOURCE_LABEL + "=" + id;
    }

    private static boolean isIssuedFormat(RunHandle handle) {
        return handle.formatVersion() == HANDLE_FORMAT && RemoteGantry.isJobId(handle.reference());
    }

    private static RunHandle handleOf(String attemptId, String remoteJobId) {
        return new RunHandle(attemptId, remoteJobId, HANDLE_FORMAT);
    }
}
