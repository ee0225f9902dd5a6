package dev.gantry.api.backends;

import dev.gantry.spi.Backend;
import java.util.Optional;

/**
 * One configured backend id: the running backend, or why it could not be started.
 *
 * @param id the configured id
 * @param type the configured type; empty when none was configured
 * @param source where the factory of this type came from, when one is installed
 * @param backend the backend, when it started
 * @param error why it did not start, when it did not
 */
public record BackendEntry(
        String id, String type, Optional<String> source, Optional<Backend> backend, Optional<String> error) {

    static BackendEntry started(String id, String type, String source, Backend backend) {
        return new BackendEntry(id, type, Optional.of(source), Optional.of(backend), Optional.empty());
    }

    static BackendEntry failed(String id, String type, Optional<String> source, String error) {
        return new BackendEntry(id, type, source, Optional.empty(), Optional.of(error));
    }
}
