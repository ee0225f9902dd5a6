package dev.gantry.spi;

/**
 * The output streams of a run.
 *
 * @since 1.0
 */
public enum LogStream {
    STDOUT,
    STDERR
}
