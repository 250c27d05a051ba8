/** The soak harness's driver (benchmarks/soak.sh). Not API; never published. */
@NullMarked
package dev.plimsoll.ops.benchmarks.soak;

import org.jspecify.annotations.NullMarked;
