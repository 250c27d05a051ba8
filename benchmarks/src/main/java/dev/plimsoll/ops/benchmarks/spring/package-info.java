/** The Spring Boot app of the load and startup harnesses. Not API; never published. */
@NullMarked
package dev.plimsoll.ops.benchmarks.spring;

import org.jspecify.annotations.NullMarked;
