package dev.gantry.api.backends;

import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendDescriptor;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends resource of the v1 REST API: what each configured backend is, whether it runs, and
 * what it can take now, plus every plugin found at start. Each request asks every started backend
 * for its capacity, which may block, so endpoints run on the blocking executor. A backend that
 * fails to answer is shown as degraded with its error, never as a failed request.
 */
@Controller("/v1/backends")
@ExecuteOn(TaskExecutors.BLOCKING)
public class BackendController {

    private static final Logger LOG = LoggerFactory.getLogger(BackendController.class);

    private final BackendRegistry registry;

    public BackendController(BackendRegistry registry) {
        this.registry = registry;
    }

    /** Every configured backend with its status and capacity now, and every plugin found at start. */
    @Get(produces = MediaType.APPLICATION_JSON)
    public BackendsView list() {
        List<BackendView> backends = registry.entries().stream().map(BackendController::view).toList();
        List<PluginView> plugins = registry.plugins().stream().map(PluginView::of).toList();
        return new BackendsView(backends, plugins);
    }

    /** One configured backend with its status and capacity now; 404 for an id not configured. */
    @Get(value = "/{id}", produces = MediaType.APPLICATION_JSON)
    public BackendView get(@PathVariable String id) {
        return registry.entry(id).map(BackendController::view).orElseThrow(() -> new BackendNotFoundException(id));
    }

    private static BackendView view(BackendEntry entry) {
        if (entry.backend().isEmpty()) {
            return BackendView.failed(entry);
        }
        Backend backend = entry.backend().get();
        BackendDescriptor descriptor;
        try {
            descriptor = backend.describe();
        } catch (RuntimeException | LinkageError e) {
            return degraded(entry, null, "describe", e);
        }
        try {
            return BackendView.up(entry, descriptor, backend.capacity());
        } catch (RuntimeException | LinkageError e) {
            return degraded(entry, descriptor, "capacity", e);
        }
    }

    private static BackendView degraded(BackendEntry entry, BackendDescriptor descriptor, String call, Throwable e) {
        LOG.atWarn().addKeyValue("backendId", entry.id()).addKeyValue("call", call).setCause(e)
                .log("backend failed to answer");
        return BackendView.degraded(entry, descriptor, call + "() failed: " + ErrorText.of(e));
    }
}
