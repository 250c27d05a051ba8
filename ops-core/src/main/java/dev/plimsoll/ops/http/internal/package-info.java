/** Implementation of the http concern; not API: may change in any release without notice. */
@NullMarked
package dev.plimsoll.ops.http.internal;

import org.jspecify.annotations.NullMarked;
