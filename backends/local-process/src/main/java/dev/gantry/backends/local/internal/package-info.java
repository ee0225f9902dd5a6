/**
 * Internal to the local-process backend: the native bindings, the spawner, the reaper, the
 * on-disk records of attempts and the parsing of settings. Nothing here is part of Gantry's
 * API; it may change in any release without notice, and no code outside this module may use it.
 */
package dev.gantry.backends.local.internal;
