/** Implementation of the shutdown concern; not API: may change in any release without notice. */
@NullMarked
package dev.plimsoll.ops.shutdown.internal;

import org.jspecify.annotations.NullMarked;
