/** OpenTelemetry tracing configured from the standard {@code OTEL_*} variables. */
@NullMarked
package dev.plimsoll.ops.tracing;

import org.jspecify.annotations.NullMarked;
