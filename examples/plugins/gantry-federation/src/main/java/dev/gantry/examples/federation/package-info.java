/**
 * A backend plugin that forwards each attempt to another Gantry control plane over its REST API,
 * so that one Gantry (on premises, say) can run work on another (in the cloud) under the remote's
 * own policy. Built outside the Gantry tree against the published SPI alone, as any third-party
 * plugin would be.
 */
package dev.gantry.examples.federation;
