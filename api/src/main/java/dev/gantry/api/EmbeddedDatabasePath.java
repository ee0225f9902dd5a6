package dev.gantry.api;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * Makes the path of a file-backed H2 database absolute before the pool opens it. H2 refuses a
 * path that is implicitly relative to the working directory, so without this a data directory
 * given as {@code data} rather than {@code ./data} would stop the control plane from starting.
 */
@Singleton
public class EmbeddedDatabasePath implements BeanCreatedEventListener<DatasourceConfiguration> {

    static final String H2_FILE_PREFIX = "jdbc:h2:file:";

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration configuration = event.getBean();
        String url = configuration.getUrl();
        if (url != null && url.startsWith(H2_FILE_PREFIX)) {
            configuration.setUrl(absolute(url));
        }
        return configuration;
    }

    /** The same H2 URL with its file path made absolute; settings after the path are kept. */
    static String absolute(String url) {
        String rest = url.substring(H2_FILE_PREFIX.length());
        int settings = rest.indexOf(';');
        String path = settings < 0 ? rest : rest.substring(0, settings);
        String tail = settings < 0 ? "" : rest.substring(settings);
        if (path.startsWith("~")) {
            return url;
        }
        return H2_FILE_PREFIX + Path.of(path).toAbsolutePath().normalize() + tail;
    }
}
