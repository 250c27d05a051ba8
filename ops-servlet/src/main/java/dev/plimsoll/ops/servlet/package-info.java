/**
 * The Plimsoll request filter, route resolution and metrics endpoint for Jakarta Servlet 6
 * containers; {@link dev.plimsoll.ops.servlet.PlimsollServlets#install} wires them.
 */
@NullMarked
package dev.plimsoll.ops.servlet;

import org.jspecify.annotations.NullMarked;
