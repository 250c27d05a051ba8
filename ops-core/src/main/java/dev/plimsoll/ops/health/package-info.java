/**
 * Composite health checks for liveness, readiness and startup probes: each check with its own
 * timeout, run in parallel on a small bounded executor, cached so a burst of probes runs it once.
 */
@NullMarked
package dev.plimsoll.ops.health;

import org.jspecify.annotations.NullMarked;
