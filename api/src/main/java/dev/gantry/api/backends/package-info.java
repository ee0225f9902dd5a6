/**
 * Loads the configured backends: finds their factories on the class path and in the plugins
 * directory through the plugin loader, each plugin in its own class loader, creates one backend
 * per id under {@code gantry.backends}, keeps the plugins and backends that fail visible with their
 * reasons instead of stopping the control plane, and shows them all at {@code /v1/backends}.
 */
package dev.gantry.api.backends;
