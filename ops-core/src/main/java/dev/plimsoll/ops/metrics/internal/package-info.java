/** Implementation of the metrics concern; not API: may change in any release without notice. */
@NullMarked
package dev.plimsoll.ops.metrics.internal;

import org.jspecify.annotations.NullMarked;
