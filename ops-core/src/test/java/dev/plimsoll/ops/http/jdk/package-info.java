/**
 * A request-observation adapter for the JDK's built-in {@code com.sun.net.httpserver.HttpServer}:
 * the second adapter over {@link dev.plimsoll.ops.http.HttpServerObserver}, which shows that a
 * server other than a servlet container gets the same metrics, spans and logs from it. Test code,
 * shared with ops-servlet's tests through ops-core's test jar.
 */
@NullMarked
package dev.plimsoll.ops.http.jdk;

import org.jspecify.annotations.NullMarked;
