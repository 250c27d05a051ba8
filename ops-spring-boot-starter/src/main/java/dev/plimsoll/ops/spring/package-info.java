/**
 * Spring Boot auto-configuration for Plimsoll: one dependency gives a Spring Boot 4.1 application
 * RED metrics at {@code /metrics}, JSON logs with request and trace IDs, OpenTelemetry tracing,
 * health probes at {@code /health/*} and a graceful shutdown that drains before the web server
 * stops.
 */
@NullMarked
package dev.plimsoll.ops.spring;

import org.jspecify.annotations.NullMarked;
