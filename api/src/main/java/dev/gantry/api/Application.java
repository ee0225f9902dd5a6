package dev.gantry.api;

import io.micronaut.runtime.Micronaut;

/** Starts the Gantry control plane. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args)
                .mainClass(Application.class)
                .banner(false)
                .start();
    }
}
