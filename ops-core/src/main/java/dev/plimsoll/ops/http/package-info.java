/**
 * The HTTP server seam: {@link dev.plimsoll.ops.http.HttpServerObserver}, which a server adapter
 * calls at the start and end of every request, the {@link dev.plimsoll.ops.http.ServerExchange} it
 * reads, and the trusted-proxy ranges of client addresses.
 */
@NullMarked
package dev.plimsoll.ops.http;

import org.jspecify.annotations.NullMarked;
