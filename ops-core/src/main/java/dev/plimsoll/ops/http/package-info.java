/**
 * HTTP semantics shared by metrics, tracing and logs: method normalisation and client addresses.
 */
@NullMarked
package dev.plimsoll.ops.http;

import org.jspecify.annotations.NullMarked;
