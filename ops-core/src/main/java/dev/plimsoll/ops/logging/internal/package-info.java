/** Implementation of the logging concern; not API: may change in any release without notice. */
@NullMarked
package dev.plimsoll.ops.logging.internal;

import org.jspecify.annotations.NullMarked;
