/**
 * Policy as code: {@link dev.gantry.policy.bundles.ReloadingPolicyEngine} runs an operator's
 * policy bundle from a file or an http(s) URL, or the compiled-in one, and swaps in a new revision,
 * without a restart, when the bundle changes or another is promoted and the new one loads and
 * answers ({@link dev.gantry.policy.bundles.BundleProbe}); a bundle that does not is refused and the
 * last good one stays in force.
 */
package dev.gantry.policy.bundles;
