package dev.plimsoll.ops.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiSurfaceTest {

  private static final Map<String, String> SAMPLE =
      Map.of(
          "sample/api/Widget.java",
          """
          package sample.api;

          import java.util.List;
          import java.util.function.Function;

          public class Widget implements Comparable<Widget> {
            public static final String NAME = "widget";
            protected int size;
            int hidden;

            public Widget() {}

            protected Widget(int size) {
              this.size = size;
            }

            public <T extends Number> List<T> convert(Function<? super String, T> f, String... in)
                throws java.io.IOException {
              return List.of();
            }

            @Override
            public int compareTo(Widget other) { // javac adds a bridge compareTo(Object)
              return 0;
            }

            protected void grow() {}

            void internalHelper() {}

            private void secret() {}

            public static final class Part {
              public Part() {}

              protected void unreachable() {}
            }

            static class Hidden {
              public void notApi() {}
            }
          }
          """,
          "sample/api/Shape.java",
          """
          package sample.api;

          public interface Shape {
            double area();

            default String label() {
              return "shape";
            }

            static Shape unit() {
              return () -> 1;
            }
          }
          """,
          "sample/api/Colour.java",
          """
          package sample.api;

          public enum Colour {
            RED,
            GREEN {
              @Override
              public String toString() {
                return "green";
              }
            }
          }
          """,
          "sample/api/Point.java",
          """
          package sample.api;

          public record Point(int x, int y) {}
          """,
          "sample/api/Helper.java",
          """
          package sample.api;

          final class Helper {
            public static void notApi() {}
          }
          """,
          "sample/api/internal/Engine.java",
          """
          package sample.api.internal;

          public final class Engine {
            public void run() {}
          }
          """);

  private static final String SAMPLE_API =
      """
      public enum sample.api.Colour
        public static final sample.api.Colour GREEN
        public static final sample.api.Colour RED
        public static sample.api.Colour valueOf(java.lang.String)
        public static sample.api.Colour[] values()

      public final record sample.api.Point
        public sample.api.Point(int, int)
        public final boolean equals(java.lang.Object)
        public final int hashCode()
        public final java.lang.String toString()
        public int x()
        public int y()

      public interface sample.api.Shape
        public double area()
        public default java.lang.String label()
        public static sample.api.Shape unit()

      public class sample.api.Widget implements java.lang.Comparable<sample.api.Widget>
        public static final java.lang.String NAME
        protected int size
        protected sample.api.Widget(int)
        public sample.api.Widget()
        public int compareTo(sample.api.Widget)
        public <T extends java.lang.Number> java.util.List<T> convert(java.util.function.Function<? super java.lang.String, T>, java.lang.String...) throws java.io.IOException
        protected void grow()

      public static final class sample.api.Widget$Part
        public sample.api.Widget$Part()
      """;

  @TempDir Path temp;

  @Test
  void rendersPublicTypesAndMembersSortedWithoutInternalsSyntheticsOrBridges() throws Exception {
    assertThat(render(SAMPLE)).isEqualTo(SAMPLE_API);
  }

  @Test
  void theSameClassesRenderTheSameText() throws Exception {
    assertThat(render(SAMPLE)).isEqualTo(render(SAMPLE));
  }

  @Test
  void aChangedSignatureIsDetectedAndTheMessageSaysHowToUpdate() throws Exception {
    Path apiFile = temp.resolve("api").resolve("sample.api");
    ApiSurface.check(render(SAMPLE), apiFile, true);
    assertThat(apiFile).hasContent(SAMPLE_API);
    Map<String, String> changed = new java.util.HashMap<>(SAMPLE);
    changed.put(
        "sample/api/Shape.java",
        SAMPLE.get("sample/api/Shape.java").replace("double area();", "long area();"));

    String actual = render(changed);

    assertThatThrownBy(() -> ApiSurface.check(actual, apiFile, false))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 lines added, 1 removed")
        .hasMessageContaining("+ sample.api.Shape: public long area()")
        .hasMessageContaining("- sample.api.Shape: public double area()")
        .hasMessageContaining(ApiSurface.UPDATE_COMMAND);
    assertThat(ApiSurface.UPDATE_COMMAND).contains("-Dplimsoll.api.update=true");
    assertThat(apiFile).hasContent(SAMPLE_API);

    ApiSurface.check(actual, apiFile, true);
    assertThat(apiFile).content().contains("public long area()");
    ApiSurface.check(actual, apiFile, false);
  }

  @Test
  void aNewPublicTypeOrAMemberMadePublicIsDetected() throws Exception {
    Path apiFile = temp.resolve("sample.api");
    Files.writeString(apiFile, SAMPLE_API);
    Map<String, String> changed = new java.util.HashMap<>(SAMPLE);
    changed.put(
        "sample/api/Helper.java",
        SAMPLE.get("sample/api/Helper.java").replace("final class Helper", "public class Helper"));

    String actual = render(changed);

    assertThatThrownBy(() -> ApiSurface.check(actual, apiFile, false))
        .hasMessageContaining("+ public class sample.api.Helper")
        .hasMessageContaining("+ sample.api.Helper: public static void notApi()");
  }

  @Test
  void aMissingFileFailsWithTheUpdateCommand() throws Exception {
    String actual = render(SAMPLE);
    assertThatThrownBy(() -> ApiSurface.check(actual, temp.resolve("none.api"), false))
        .hasMessageContaining(ApiSurface.UPDATE_COMMAND);
  }

  @Test
  void everyTopLevelTypeMustBeNamedInTheDocument() throws IOException {
    Path apiFile = temp.resolve("sample.api");
    Files.writeString(apiFile, SAMPLE_API);
    assertThat(ApiSurface.topLevelTypes(apiFile))
        .containsExactly(
            "sample.api.Colour", "sample.api.Point", "sample.api.Shape", "sample.api.Widget");
    Path doc = temp.resolve("api.md");
    Files.writeString(doc, "- `Colour`: a colour\n- `Point`\n- `Shape`\n- Widget, in prose only\n");

    assertThatThrownBy(() -> ApiSurface.assertDocumented(apiFile, doc))
        .hasMessageContaining("[sample.api.Widget]");

    Files.writeString(doc, "`Colour` `Point` `Shape` `Widget`", StandardCharsets.UTF_8);
    ApiSurface.assertDocumented(apiFile, doc);
  }

  @Test
  void aSignatureNamingAnInternalTypeFailsEvenWhenCommitted() throws IOException {
    Path apiFile = temp.resolve("leak.api");
    String leaking =
        "public final class sample.api.Point\n  public sample.api.internal.Cache cache()\n";
    Files.writeString(apiFile, leaking);

    assertThatThrownBy(() -> ApiSurface.check(leaking, apiFile, false))
        .hasMessageContaining("internal packages")
        .hasMessageContaining("sample.api.internal.Cache cache()");
  }

  @Test
  void aTypeInTheModulesTableThatIsNotApiIsStale() throws IOException {
    Path apiFile = temp.resolve("sample.api");
    Files.writeString(apiFile, SAMPLE_API);
    Path doc = temp.resolve("api.md");
    String described = "`Colour` `Point` `Shape` `Widget`\n";
    Files.writeString(
        doc,
        described
            + "## sample\n| Type | For |\n|---|---|\n| `Point` | a point |\n| `Gone` | removed |\n"
            + "## other\n| `Elsewhere` | another module's |\n");

    assertThatThrownBy(() -> ApiSurface.assertDocumented(apiFile, doc))
        .hasMessageContaining("not public API")
        .hasMessageContaining("[Gone]");

    Files.writeString(doc, described + "## sample\n| `Point` | a point |\n");
    ApiSurface.assertDocumented(apiFile, doc);
  }

  @Test
  void contributingGivesTheUpdateCommand() throws IOException {
    String contributing =
        Files.readString(Path.of("..", "CONTRIBUTING.md")).replaceAll("\\\\\n\\s*", "");
    assertThat(contributing).contains(ApiSurface.UPDATE_COMMAND);
  }

  /** Compiles {@code sources} into a fresh directory and renders their API. */
  private String render(Map<String, String> sources) throws IOException {
    Path root = Files.createTempDirectory(temp, "build");
    Path src = root.resolve("src");
    Path classes = Files.createDirectories(root.resolve("classes"));
    List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-g:none"));
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = src.resolve(source.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
      arguments.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac.run(null, null, null, arguments.toArray(String[]::new))).isZero();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      return ApiSurface.render(classes, loader);
    }
  }
}
