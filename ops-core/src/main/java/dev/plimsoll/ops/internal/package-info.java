/**
 * How {@link dev.plimsoll.ops.Plimsoll} puts the concerns together: the request-observation seam
 * behind {@link dev.plimsoll.ops.http.HttpServerObserver}. Not API: may change in any release
 * without notice.
 */
@NullMarked
package dev.plimsoll.ops.internal;

import org.jspecify.annotations.NullMarked;
