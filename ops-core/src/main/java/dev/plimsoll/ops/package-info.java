/** Plimsoll: one object that owns metrics, tracing and request logging for a service. */
@NullMarked
package dev.plimsoll.ops;

import org.jspecify.annotations.NullMarked;
