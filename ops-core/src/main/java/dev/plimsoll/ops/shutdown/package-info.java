/**
 * Graceful shutdown: readiness turns down at once, traffic is still served for a drain delay,
 * in-flight requests finish, the server stops and closers run, all within one time budget.
 */
@NullMarked
package dev.plimsoll.ops.shutdown;

import org.jspecify.annotations.NullMarked;
