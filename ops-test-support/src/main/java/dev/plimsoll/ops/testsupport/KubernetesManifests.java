package dev.plimsoll.ops.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads Kubernetes manifests: YAML files of one or more documents, and kustomizations rendered by
 * the real {@code kubectl kustomize}.
 */
public final class KubernetesManifests {

  private static final long RENDER_TIMEOUT_SECONDS = 120;

  private KubernetesManifests() {}

  /** The resources of a YAML stream of one or more documents; empty documents are left out. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> parse(InputStream yaml) {
    List<Map<String, Object>> resources = new ArrayList<>();
    for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
      if (document instanceof Map<?, ?> resource) {
        resources.add((Map<String, Object>) resource);
      } else if (document != null) {
        throw new IllegalArgumentException("A YAML document that is not a mapping: " + document);
      }
    }
    return resources;
  }

  /** The resources of a YAML file of one or more documents. */
  public static List<Map<String, Object>> read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Renders a kustomization directory with {@code kubectl kustomize}, as {@code kubectl apply -k}
   * would.
   *
   * @throws AssertionError if kubectl fails, or if it is missing and {@code CI=true}
   * @throws org.opentest4j.TestAbortedException if kubectl is missing elsewhere
   */
  public static List<Map<String, Object>> render(Path kustomization) {
    Path kubectl =
        LocalServices.requireExecutable(
            "kubectl", "Debian: apt-get install -y kubectl, from the Kubernetes apt repository");
    try {
      Path output = Files.createTempFile("kustomize", ".yaml");
      Path errors = Files.createTempFile("kustomize", ".err");
      try {
        Process process =
            new ProcessBuilder(kubectl.toString(), "kustomize", kustomization.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(output.toFile())
                .redirectError(errors.toFile())
                .start();
        if (!process.waitFor(RENDER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError(
              "kubectl kustomize "
                  + kustomization
                  + " did not finish within "
                  + RENDER_TIMEOUT_SECONDS
                  + " s");
        }
        if (process.exitValue() != 0) {
          throw new AssertionError(
              "kubectl kustomize "
                  + kustomization
                  + " failed: "
                  + Files.readString(errors, StandardCharsets.UTF_8));
        }
        return read(output);
      } finally {
        Files.deleteIfExists(output);
        Files.deleteIfExists(errors);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while rendering " + kustomization, e);
    }
  }
}
