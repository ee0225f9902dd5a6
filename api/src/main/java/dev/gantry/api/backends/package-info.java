/**
 * Loads the configured backends: finds their factories with {@link java.util.ServiceLoader},
 * creates one backend per id under {@code gantry.backends}, and keeps the ones that fail to start
 * visible with their error instead of stopping the control plane.
 */
package dev.gantry.api.backends;
