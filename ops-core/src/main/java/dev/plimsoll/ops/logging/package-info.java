/** Structured JSON logging with request and trace IDs, and the per-request access log. */
@NullMarked
package dev.plimsoll.ops.logging;

import org.jspecify.annotations.NullMarked;
