/** Implementation of the Spring Boot starter; not API: may change in any release without notice. */
@NullMarked
package dev.plimsoll.ops.spring.internal;

import org.jspecify.annotations.NullMarked;
