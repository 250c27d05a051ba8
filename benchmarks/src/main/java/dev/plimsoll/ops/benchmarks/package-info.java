/**
 * JMH micro-benchmarks of Plimsoll's request path and the launchers of the wrk load harness. Not
 * API; never published.
 */
@NullMarked
package dev.plimsoll.ops.benchmarks;

import org.jspecify.annotations.NullMarked;
