/**
 * Shared test fixtures: free ports, scrape parsing, log capture, an OTLP receiver, waiting,
 * Kubernetes manifests and their schemas.
 */
@NullMarked
package dev.plimsoll.ops.testsupport;

import org.jspecify.annotations.NullMarked;
