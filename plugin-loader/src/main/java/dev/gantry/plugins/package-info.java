/**
 * Finds backend plugins and loads each in a class loader of its own, which sees from the host only
 * the JDK, the SPI and a short list of deliberately shared packages, so a plugin's dependencies
 * never clash with the control plane's. Used by the control plane and by the backend test kit, so
 * a plugin is tested the way it is run.
 */
package dev.gantry.plugins;
