/**
 * The local-process backend: runs each attempt as an operating system process on the control
 * plane's own host, started with {@code posix_spawn} in its own session, with only its own
 * environment, its output going to files in its attempt directory, its exit collected by one
 * reaper thread and recorded on disk the moment it happens.
 *
 * <p>{@link dev.gantry.backends.local.LocalProcessBackendFactory} is found through
 * {@link java.util.ServiceLoader} under the type {@code local-process};
 * {@link dev.gantry.backends.local.LocalProcessConfiguration} lists its settings. Linux only
 * (it needs pidfds, kernel 5.3 or later, and glibc 2.34 or later).
 *
 * @since 0.1
 */
package dev.gantry.backends.local;
