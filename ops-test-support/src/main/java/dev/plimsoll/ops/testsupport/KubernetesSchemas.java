package dev.plimsoll.ops.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

/**
 * Validates Kubernetes resources against the schemas vendored in {@code
 * src/main/resources/kubernetes-schemas/} (its README.md names their sources and versions): the
 * built-in kinds against the Kubernetes OpenAPI definitions, custom resources against their
 * CustomResourceDefinition's {@code openAPIV3Schema}.
 *
 * <p>Strict, like kubeconform's strict mode: a field the schema does not declare is a problem. A
 * built-in object that declares {@code properties} and no {@code additionalProperties} is closed; a
 * custom resource's object is closed unless it says {@code x-kubernetes-preserve-unknown-fields},
 * as the API server prunes what such a schema does not declare. {@code metadata} of a custom
 * resource and of an embedded resource is checked as an ObjectMeta, as the API server does. A
 * {@code null} value counts as absent, as it does for the API server. CEL rules ({@code
 * x-kubernetes-validations}) and list-key uniqueness are not checked. A schema keyword this class
 * does not know throws, so nothing in a schema is silently ignored.
 */
public final class KubernetesSchemas {

  private static final String FOLDER = "/kubernetes-schemas/";
  static final String KUBERNETES = "kubernetes-1.32.json";
  static final List<String> CUSTOM_RESOURCE_DEFINITIONS =
      List.of(
          "crds/argo-cd-application.yaml",
          "crds/argo-cd-appproject.yaml",
          "crds/argo-rollouts-analysistemplate.yaml",
          "crds/argo-rollouts-rollout.yaml",
          "crds/flagger.yaml",
          "crds/prometheus-operator-podmonitors.yaml",
          "crds/prometheus-operator-prometheusrules.yaml",
          "crds/prometheus-operator-servicemonitors.yaml");

  private static final String DEFINITIONS = "#/definitions/";
  private static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
  // Quantity is declared a string, but its JSON decoding takes a number too ("cpu: 1").
  private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
  private static final Set<String> KEYWORDS =
      Set.of(
          "$ref",
          "type",
          "format",
          "properties",
          "additionalProperties",
          "items",
          "required",
          "enum",
          "pattern",
          "minimum",
          "maximum",
          "minLength",
          "maxLength",
          "minItems",
          "maxItems",
          "anyOf",
          "allOf",
          "oneOf",
          "not",
          "x-kubernetes-preserve-unknown-fields",
          "x-kubernetes-int-or-string",
          "x-kubernetes-embedded-resource");
  // Read and deliberately not checked: documentation, defaults, merge and list semantics, CEL.
  private static final Set<String> NOT_CHECKED =
      Set.of(
          "description",
          "default",
          "nullable",
          "x-kubernetes-group-version-kind",
          "x-kubernetes-list-type",
          "x-kubernetes-list-map-keys",
          "x-kubernetes-map-type",
          "x-kubernetes-patch-merge-key",
          "x-kubernetes-patch-strategy",
          "x-kubernetes-unions",
          "x-kubernetes-validations");

  private static @Nullable KubernetesSchemas vendored;

  private final Map<String, Map<String, Object>> definitions;
  private final Map<String, Kind> kinds;
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  private record Kind(Map<String, Object> schema, boolean custom) {}

  private KubernetesSchemas(Map<String, Map<String, Object>> definitions, Map<String, Kind> kinds) {
    this.definitions = definitions;
    this.kinds = kinds;
  }

  /** The vendored schemas, read once. */
  public static synchronized KubernetesSchemas vendored() {
    if (vendored == null) {
      vendored = load();
    }
    return vendored;
  }

  @SuppressWarnings("unchecked")
  private static KubernetesSchemas load() {
    Map<String, Object> spec;
    try (InputStream in = open(KUBERNETES)) {
      spec = new ObjectMapper().readValue(in, Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Map<String, Object>> crds = new ArrayList<>();
    for (String file : CUSTOM_RESOURCE_DEFINITIONS) {
      try (InputStream in = open(file)) {
        crds.addAll(KubernetesManifests.parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return of((Map<String, Map<String, Object>>) spec.get("definitions"), crds);
  }

  /**
   * Schemas from OpenAPI v2 {@code definitions} (with {@code x-kubernetes-group-version-kind}) and
   * CustomResourceDefinitions.
   */
  @SuppressWarnings("unchecked")
  static KubernetesSchemas of(
      Map<String, Map<String, Object>> definitions, List<Map<String, Object>> crds) {
    Map<String, Kind> kinds = new LinkedHashMap<>();
    definitions.forEach(
        (name, schema) -> {
          for (Map<String, Object> gvk : maps(schema.get("x-kubernetes-group-version-kind"))) {
            String group = (String) gvk.get("group");
            String apiVersion = (group.isEmpty() ? "" : group + "/") + gvk.get("version");
            add(kinds, apiVersion, (String) gvk.get("kind"), new Kind(ref(name), false));
          }
        });
    for (Map<String, Object> crd : crds) {
      Map<String, Object> crdSpec = (Map<String, Object>) crd.get("spec");
      String kind = (String) ((Map<String, Object>) crdSpec.get("names")).get("kind");
      for (Map<String, Object> version : maps(crdSpec.get("versions"))) {
        if (Boolean.TRUE.equals(version.get("served"))) {
          Map<String, Object> schema =
              (Map<String, Object>)
                  ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
          String apiVersion = crdSpec.get("group") + "/" + version.get("name");
          add(kinds, apiVersion, kind, new Kind(schema, true));
        }
      }
    }
    return new KubernetesSchemas(definitions, kinds);
  }

  /** The OpenAPI v2 definitions of the built-in kinds. */
  Map<String, Map<String, Object>> definitions() {
    return definitions;
  }

  private static InputStream open(String file) {
    InputStream in = KubernetesSchemas.class.getResourceAsStream(FOLDER + file);
    if (in == null) {
      throw new IllegalStateException("No " + FOLDER + file + " on the class path");
    }
    return in;
  }

  private static void add(Map<String, Kind> kinds, String apiVersion, String kind, Kind schema) {
    if (kinds.putIfAbsent(apiVersion + " " + kind, schema) != null) {
      throw new IllegalStateException("Two schemas for " + apiVersion + " " + kind);
    }
  }

  /** Every kind there is a schema for, as {@code "apiVersion kind"}, sorted. */
  public Set<String> kinds() {
    return new TreeSet<>(kinds.keySet());
  }

  /**
   * Validates one resource, as parsed from YAML or JSON (maps, lists, strings, numbers, booleans).
   *
   * @return the problems, each {@code "path: what is wrong"} with a path such as {@code
   *     spec.template.spec.containers[0].name}; empty if the resource is valid
   */
  public List<String> validate(Map<String, ?> resource) {
    List<String> problems = new ArrayList<>();
    Object apiVersion = resource.get("apiVersion");
    Object kind = resource.get("kind");
    Kind schema = kinds.get(apiVersion + " " + kind);
    if (schema == null) {
      problems.add(
          "apiVersion, kind: no schema for apiVersion "
              + apiVersion
              + " kind "
              + kind
              + " (vendored: "
              + String.join(", ", kinds())
              + ")");
      return problems;
    }
    new Walk(schema.custom(), problems).value(resource, schema.schema(), "", true);
    return problems;
  }

  private static Map<String, Object> ref(String definition) {
    return Map.of("$ref", DEFINITIONS + definition);
  }

  /** One validation: where problems go, and whether objects without properties are closed. */
  private final class Walk {
    private final boolean structural;
    private final List<String> problems;

    Walk(boolean structural, List<String> problems) {
      this.structural = structural;
      this.problems = problems;
    }

    /**
     * Checks {@code value} against {@code schema}; {@code closed} is false inside anyOf, allOf,
     * oneOf and not, whose branches only add constraints to the fields the schema declares.
     */
    void value(@Nullable Object value, Map<String, Object> schema, String path, boolean closed) {
      Object reference = schema.get("$ref");
      if (reference != null) {
        String name = ((String) reference).substring(DEFINITIONS.length());
        if (name.equals(QUANTITY)) {
          if (value != null && !(value instanceof String) && !(value instanceof Number)) {
            problem(path, "expected a quantity (string or number), found " + describe(value));
          }
          return;
        }
        Map<String, Object> target = definitions.get(name);
        if (target == null) {
          throw new IllegalStateException("No definition " + name + " for " + path);
        }
        value(value, target, path, closed);
        return;
      }
      for (String keyword : schema.keySet()) {
        if (!KEYWORDS.contains(keyword) && !NOT_CHECKED.contains(keyword)) {
          throw new IllegalStateException(
              "Schema keyword " + keyword + " at " + path + " is not understood");
        }
      }
      if (value == null || !type(value, schema, path)) {
        return;
      }
      scalar(value, schema, path);
      if (value instanceof Map<?, ?> map) {
        object(map, schema, path, closed);
      } else if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
        for (int i = 0; i < list.size(); i++) {
          value(list.get(i), cast(items), path + "[" + i + "]", closed);
        }
      }
      combinations(value, schema, path);
    }

    private boolean type(Object value, Map<String, Object> schema, String path) {
      if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))
          || "int-or-string".equals(schema.get("format"))) {
        if (!integral(value) && !(value instanceof String)) {
          problem(path, "expected an integer or a string, found " + describe(value));
          return false;
        }
        return true;
      }
      Object type = schema.get("type");
      boolean ok =
          type == null
              || switch ((String) type) {
                case "object" -> value instanceof Map;
                case "array" -> value instanceof List;
                case "string" -> value instanceof String || value instanceof Date;
                case "integer" -> integral(value);
                case "number" -> value instanceof Number;
                case "boolean" -> value instanceof Boolean;
                default -> throw new IllegalStateException("Unknown type " + type + " at " + path);
              };
      if (!ok) {
        problem(path, "expected " + type + ", found " + describe(value));
      }
      return ok;
    }

    private void scalar(Object value, Map<String, Object> schema, String path) {
      List<?> allowed = (List<?>) schema.get("enum");
      if (allowed != null && !allowed.contains(value)) {
        problem(path, "must be one of " + allowed + ", found " + describe(value));
      }
      if (value instanceof String text) {
        if ("byte".equals(schema.get("format")) && !base64(text)) {
          problem(path, "expected base64, found " + describe(value));
        }
        if (schema.get("pattern") instanceof String regex
            && !patterns.computeIfAbsent(regex, Pattern::compile).matcher(text).find()) {
          problem(path, "does not match " + regex + ": " + describe(value));
        }
        bound(path, "length", text.length(), schema.get("minLength"), schema.get("maxLength"));
      }
      if (value instanceof Number number) {
        bound(path, "value", number.doubleValue(), schema.get("minimum"), schema.get("maximum"));
      }
      if (value instanceof List<?> list) {
        bound(path, "item count", list.size(), schema.get("minItems"), schema.get("maxItems"));
      }
    }

    private void bound(
        String path, String what, double actual, @Nullable Object min, @Nullable Object max) {
      if (min instanceof Number low && actual < low.doubleValue()) {
        problem(path, what + " must be at least " + low + ", is " + format(actual));
      }
      if (max instanceof Number high && actual > high.doubleValue()) {
        problem(path, what + " must be at most " + high + ", is " + format(actual));
      }
    }

    private void object(Map<?, ?> map, Map<String, Object> schema, String path, boolean closed) {
      Map<String, Object> properties = cast(schema.getOrDefault("properties", Map.of()));
      Object additional = schema.get("additionalProperties");
      boolean embedded = Boolean.TRUE.equals(schema.get("x-kubernetes-embedded-resource"));
      boolean resource = embedded || (structural && path.isEmpty());
      boolean open =
          !closed
              || Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"))
              || Boolean.TRUE.equals(additional)
              || (!structural && properties.isEmpty() && additional == null);
      for (Object field : (List<?>) schema.getOrDefault("required", List.of())) {
        if (map.get(field) == null) {
          problem(child(path, (String) field), "missing required field");
        }
      }
      if (embedded) {
        for (String field : List.of("apiVersion", "kind")) {
          if (!(map.get(field) instanceof String)) {
            problem(child(path, field), "an embedded resource needs a string " + field);
          }
        }
      }
      map.forEach(
          (key, fieldValue) -> {
            String name = String.valueOf(key);
            String fieldPath = child(path, name);
            if (resource && name.equals("metadata")) {
              value(fieldValue, ref(OBJECT_META), fieldPath, closed);
            } else if (properties.containsKey(name)) {
              value(fieldValue, cast(properties.get(name)), fieldPath, closed);
            } else if (additional instanceof Map<?, ?> valueSchema) {
              value(fieldValue, cast(valueSchema), fieldPath, closed);
            } else if (!open && !(embedded && (name.equals("apiVersion") || name.equals("kind")))) {
              problem(fieldPath, "unknown field");
            }
          });
    }

    private void combinations(Object value, Map<String, Object> schema, String path) {
      for (Map<String, Object> branch : maps(schema.get("allOf"))) {
        value(value, branch, path, false);
      }
      List<Map<String, Object>> anyOf = maps(schema.get("anyOf"));
      List<List<String>> anyOfProblems = branches(value, anyOf, path);
      if (!anyOf.isEmpty() && !anyOfProblems.contains(List.of())) {
        problem(path, "matches none of the anyOf schemas: " + anyOfProblems);
      }
      List<Map<String, Object>> oneOf = maps(schema.get("oneOf"));
      List<List<String>> oneOfProblems = branches(value, oneOf, path);
      long matched = oneOfProblems.stream().filter(List::isEmpty).count();
      if (!oneOf.isEmpty() && matched != 1) {
        problem(
            path,
            "must match exactly one of the oneOf schemas, matches "
                + matched
                + (matched == 0 ? ": " + oneOfProblems : ""));
      }
      if (schema.get("not") instanceof Map<?, ?> not
          && branches(value, List.of(cast(not)), path).contains(List.of())) {
        problem(path, "must not match the schema " + not);
      }
    }

    /** The problems {@code value} has against each branch: an empty list where it matches. */
    private List<List<String>> branches(
        Object value, List<Map<String, Object>> branches, String path) {
      List<List<String>> found = new ArrayList<>();
      for (Map<String, Object> branch : branches) {
        List<String> problems = new ArrayList<>();
        new Walk(structural, problems).value(value, branch, path, false);
        found.add(problems);
      }
      return found;
    }

    private void problem(String path, String message) {
      problems.add((path.isEmpty() ? "(resource)" : path) + ": " + message);
    }
  }

  private static String child(String path, String name) {
    if (name.matches("[A-Za-z_$][A-Za-z0-9_$-]*")) {
      return path.isEmpty() ? name : path + "." + name;
    }
    return path + "[\"" + name + "\"]";
  }

  private static boolean integral(Object value) {
    return value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof BigInteger;
  }

  private static boolean base64(String text) {
    try {
      Base64.getDecoder().decode(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String describe(Object value) {
    if (value instanceof String text) {
      return "string \"" + text + "\"";
    }
    if (value instanceof Map) {
      return "object";
    }
    if (value instanceof List) {
      return "array";
    }
    return value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + value;
  }

  private static String format(double number) {
    return number == Math.rint(number) ? String.valueOf((long) number) : String.valueOf(number);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object schema) {
    return (Map<String, Object>) schema;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(@Nullable Object list) {
    return list == null ? List.of() : (List<Map<String, Object>>) list;
  }
}
