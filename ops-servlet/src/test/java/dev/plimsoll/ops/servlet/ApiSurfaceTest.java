package dev.plimsoll.ops.servlet;

import dev.plimsoll.ops.testsupport.ApiSurface;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Holds ops-servlet's public API to {@code api/ops-servlet.api}: a change of the API fails the
 * build until that file changes with it, so it shows in review. {@link ApiSurface#UPDATE_COMMAND}
 * rewrites it.
 */
class ApiSurfaceTest {

  private static final Path API = Path.of("api", "ops-servlet.api");

  @Test
  void thePublicApiIsTheCommittedOne() {
    ApiSurface.check(PlimsollServlets.class, API);
  }

  @Test
  void docsApiDescribesEveryPublicType() {
    ApiSurface.assertDocumented(API, Path.of("..", "docs", "api.md"));
  }
}
