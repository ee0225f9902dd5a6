package dev.gantry.spi;

/**
 * The output streams of a run.
 *
 * @since 0.1
 */
public enum LogStream {
    STDOUT,
    STDERR
}
