/**
 * Internal to the federation plugin, not for use by other code: the remote REST client, the
 * mapping between launch requests, remote jobs and run statuses, and the bookkeeping of live runs.
 */
package dev.gantry.examples.federation.internal;
