/** Typed settings read from environment variables and system properties, validated all at once. */
@NullMarked
package dev.plimsoll.ops.config;

import org.jspecify.annotations.NullMarked;
