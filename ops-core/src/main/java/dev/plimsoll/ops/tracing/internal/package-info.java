/** Implementation of the tracing concern; not API: may change in any release without notice. */
@NullMarked
package dev.plimsoll.ops.tracing.internal;

import org.jspecify.annotations.NullMarked;
