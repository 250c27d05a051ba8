/** Implementation of the config concern; not API: may change in any release without notice. */
@NullMarked
package dev.plimsoll.ops.config.internal;

import org.jspecify.annotations.NullMarked;
