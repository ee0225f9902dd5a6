package dev.gantry.api;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/** Provides the clock every component reads time from, so tests can replace it. */
@Factory
public class ClockFactory {

    /** UTC, ticking in microseconds: the precision the store keeps, so stored and fresh times agree. */
    @Singleton
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}
