package dev.gantry.api.backends;

/** No backend is configured with the id a client asked for. */
public class BackendNotFoundException extends RuntimeException {

    public BackendNotFoundException(String backendId) {
        super("no backend with id '" + backendId + "'");
    }
}
