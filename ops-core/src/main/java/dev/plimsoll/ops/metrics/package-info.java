/**
 * RED metrics for HTTP servers, build information and the Prometheus registry that exposes them.
 */
@NullMarked
package dev.plimsoll.ops.metrics;

import org.jspecify.annotations.NullMarked;
