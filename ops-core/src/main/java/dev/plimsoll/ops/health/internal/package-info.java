/** Implementation of the health concern; not API: may change in any release without notice. */
@NullMarked
package dev.plimsoll.ops.health.internal;

import org.jspecify.annotations.NullMarked;
