package dev.plimsoll.ops.testsupport;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The public API of a module as text: every public type outside {@code …internal} packages, with
 * its public members (and protected ones, where a user may subclass), one signature a line, sorted,
 * without synthetic or bridge members. Each published module commits its text as {@code
 * api/<module>.api} and a test compares the compiled classes with it, so that every change of the
 * API shows in review as a change of that file.
 *
 * <p>The signatures are what reflection reports: generic types in full, type-use annotations (such
 * as JSpecify's {@code @Nullable}) and constant values left out.
 */
public final class ApiSurface {

  /** The system property that rewrites the committed file instead of comparing with it. */
  public static final String UPDATE_PROPERTY = "plimsoll.api.update";

  /** The command that rewrites every published module's file. */
  public static final String UPDATE_COMMAND =
      "./mvnw -B test -pl ops-core,ops-servlet,ops-spring-boot-starter -am"
          + " -Dtest=ApiSurfaceTest#thePublicApiIsTheCommittedOne"
          + " -Dsurefire.failIfNoSpecifiedTests=false -D"
          + UPDATE_PROPERTY
          + "=true";

  private static final int TYPE_MODIFIERS =
      Modifier.PUBLIC | Modifier.PROTECTED | Modifier.ABSTRACT | Modifier.STATIC | Modifier.FINAL;
  private static final int MEMBER_MODIFIERS =
      Modifier.PUBLIC | Modifier.PROTECTED | Modifier.ABSTRACT | Modifier.STATIC | Modifier.FINAL;
  private static final Pattern TYPE_HEADER =
      Pattern.compile("^[a-z ]*?(?:class|interface|enum|record|@interface) ([\\w.$]+)");
  private static final int MAX_DIFF_LINES = 40;

  private ApiSurface() {}

  /**
   * Fails unless the API of the module that holds {@code anyClassOfTheModule} is the one in {@code
   * apiFile}; rewrites the file instead when the {@value #UPDATE_PROPERTY} system property is
   * {@code true}.
   *
   * @throws AssertionError if the API changed and the file was not updated
   */
  public static void check(Class<?> anyClassOfTheModule, Path apiFile) {
    Path classes = classesDirectory(anyClassOfTheModule);
    String actual = render(classes, anyClassOfTheModule.getClassLoader());
    check(actual, apiFile, Boolean.getBoolean(UPDATE_PROPERTY));
  }

  /**
   * Compares {@code actual} with {@code apiFile}, or writes it there when {@code update}.
   *
   * @throws AssertionError if they differ and {@code update} is false
   */
  public static void check(String actual, Path apiFile, boolean update) {
    requireNonNull(actual, "actual");
    List<String> leaks = actual.lines().filter(l -> l.contains(".internal.")).toList();
    if (!leaks.isEmpty()) {
      // A signature that names an internal type makes that type API in all but name.
      throw new AssertionError(
          "The public API names types of internal packages; hide the member or make the type API:\n"
              + String.join("\n", leaks));
    }
    String expected = Files.exists(apiFile) ? read(apiFile) : "";
    if (actual.equals(expected)) {
      return;
    }
    if (update) {
      try {
        Path parent = apiFile.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(apiFile, actual, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    List<String> added = minus(qualified(actual), qualified(expected));
    List<String> removed = minus(qualified(expected), qualified(actual));
    StringBuilder message =
        new StringBuilder()
            .append("The public API differs from ")
            .append(apiFile)
            .append(" (")
            .append(added.size())
            .append(" lines added, ")
            .append(removed.size())
            .append(" removed). If the change is intended, update the file with\n  ")
            .append(UPDATE_COMMAND)
            .append("\nand commit it with the change.\n");
    added.stream().limit(MAX_DIFF_LINES).forEach(l -> message.append("+ ").append(l).append('\n'));
    removed.stream()
        .limit(MAX_DIFF_LINES)
        .forEach(l -> message.append("- ").append(l).append('\n'));
    throw new AssertionError(message.toString());
  }

  /**
   * The API of the classes compiled under {@code classes}, loaded (not initialised) through {@code
   * loader}.
   */
  public static String render(Path classes, ClassLoader loader) {
    List<Class<?>> types = new ArrayList<>();
    for (String name : classNames(classes)) {
      Class<?> type;
      try {
        type = Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IllegalStateException("Cannot load " + name + " to read its API", e);
      }
      if (isApi(type)) {
        types.add(type);
      }
    }
    types.sort(Comparator.comparing(Class::getName));
    StringBuilder text = new StringBuilder();
    for (Class<?> type : types) {
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append(header(type)).append('\n');
      for (String member : members(type)) {
        text.append("  ").append(member).append('\n');
      }
    }
    return text.toString();
  }

  /** The names of the top-level types listed in {@code apiFile}. */
  public static List<String> topLevelTypes(Path apiFile) {
    List<String> names = new ArrayList<>();
    for (String line : read(apiFile).lines().toList()) {
      Matcher header = TYPE_HEADER.matcher(line);
      if (header.find() && !header.group(1).contains("$")) {
        names.add(header.group(1));
      }
    }
    return names;
  }

  /**
   * Fails unless {@code doc} names every top-level type of {@code apiFile}, by its simple name in
   * backticks, so the list of public types there cannot drift from the API.
   *
   * @throws AssertionError naming the types the document leaves out
   */
  public static void assertDocumented(Path apiFile, Path doc) {
    String text = read(doc);
    List<String> missing =
        topLevelTypes(apiFile).stream()
            .filter(name -> !text.contains("`" + name.substring(name.lastIndexOf('.') + 1) + "`"))
            .toList();
    if (!missing.isEmpty()) {
      throw new AssertionError(
          doc + " does not describe these public types of " + apiFile + ": " + missing);
    }
    List<String> simpleNames =
        topLevelTypes(apiFile).stream().map(n -> n.substring(n.lastIndexOf('.') + 1)).toList();
    List<String> stale =
        documentedTypes(text, moduleOf(apiFile)).stream()
            .filter(name -> !simpleNames.contains(name))
            .toList();
    if (!stale.isEmpty()) {
      throw new AssertionError(
          doc + " describes types that are not public API of " + apiFile + ": " + stale);
    }
  }

  /** {@code ops-core} for {@code …/ops-core.api}. */
  private static String moduleOf(Path apiFile) {
    String name = apiFile.getFileName().toString();
    return name.substring(0, name.length() - ".api".length());
  }

  /** The types in the first column of the table under the heading {@code ## module}. */
  static List<String> documentedTypes(String doc, String module) {
    List<String> types = new ArrayList<>();
    boolean inSection = false;
    for (String line : doc.split("\n")) {
      if (line.startsWith("## ")) {
        inSection = line.substring(3).trim().equals(module);
      } else if (inSection && line.startsWith("| `")) {
        types.add(line.substring(3, line.indexOf('`', 3)));
      }
    }
    return types;
  }

  private static boolean isApi(Class<?> type) {
    if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
      return false;
    }
    if (Arrays.asList(type.getPackageName().split("\\.")).contains("internal")) {
      return false;
    }
    Class<?> enclosing = type.getDeclaringClass();
    if (enclosing == null) {
      return Modifier.isPublic(type.getModifiers());
    }
    return isApi(enclosing) && isVisible(type.getModifiers(), enclosing);
  }

  /** Public, or protected in a type a user may extend. */
  private static boolean isVisible(int modifiers, Class<?> owner) {
    return Modifier.isPublic(modifiers)
        || (Modifier.isProtected(modifiers) && !Modifier.isFinal(owner.getModifiers()));
  }

  private static String header(Class<?> type) {
    int modifiers = type.getModifiers() & TYPE_MODIFIERS;
    String kind;
    List<Type> supertypes = new ArrayList<>();
    String supertypeKeyword = "implements";
    if (type.isAnnotation()) {
      kind = "@interface";
      modifiers &= ~Modifier.ABSTRACT;
    } else if (type.isInterface()) {
      kind = "interface";
      modifiers &= ~Modifier.ABSTRACT;
      supertypeKeyword = "extends";
      supertypes.addAll(Arrays.asList(type.getGenericInterfaces()));
    } else if (type.isEnum()) {
      kind = "enum";
      // Whether an enum is final depends on its constants having bodies, not on its API.
      modifiers &= ~(Modifier.FINAL | Modifier.ABSTRACT);
      supertypes.addAll(Arrays.asList(type.getGenericInterfaces()));
    } else if (type.isRecord()) {
      kind = "record";
      supertypes.addAll(Arrays.asList(type.getGenericInterfaces()));
    } else {
      kind = "class";
      supertypes.addAll(Arrays.asList(type.getGenericInterfaces()));
    }
    // javac seals an enum whose constants have bodies: an implementation detail, like final.
    boolean sealed = type.isSealed() && !type.isEnum();
    StringBuilder line = new StringBuilder(modifiersOf(modifiers));
    if (sealed) {
      line.append(line.isEmpty() ? "" : " ").append("sealed");
    }
    line.append(line.isEmpty() ? "" : " ").append(kind).append(' ').append(type.getName());
    line.append(typeParameters(type.getTypeParameters()).stripLeading());
    Type superclass = type.getGenericSuperclass();
    if (kind.equals("class") && superclass != null && superclass != Object.class) {
      line.append(" extends ").append(superclass.getTypeName());
    }
    if (!supertypes.isEmpty()) {
      line.append(' ')
          .append(supertypeKeyword)
          .append(' ')
          .append(supertypes.stream().map(Type::getTypeName).collect(Collectors.joining(", ")));
    }
    if (sealed) {
      line.append(" permits ")
          .append(
              Arrays.stream(type.getPermittedSubclasses())
                  .map(Class::getName)
                  .sorted()
                  .collect(Collectors.joining(", ")));
    }
    return line.toString();
  }

  private static List<String> members(Class<?> type) {
    record Entry(int order, String name, String line) {}
    List<Entry> entries = new ArrayList<>();
    for (Field field : type.getDeclaredFields()) {
      if (isMember(field, type)) {
        entries.add(
            new Entry(
                0,
                field.getName(),
                modifiers(field.getModifiers())
                    + field.getGenericType().getTypeName()
                    + " "
                    + field.getName()));
      }
    }
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      if (isMember(constructor, type)) {
        entries.add(new Entry(1, "", executable(constructor, null, type.getName())));
      }
    }
    for (Method method : type.getDeclaredMethods()) {
      if (isMember(method, type) && !method.isBridge()) {
        entries.add(new Entry(2, method.getName(), executable(method, method, method.getName())));
      }
    }
    entries.sort(
        Comparator.comparingInt(Entry::order)
            .thenComparing(Entry::name)
            .thenComparing(Entry::line));
    return entries.stream().map(Entry::line).toList();
  }

  private static boolean isMember(Member member, Class<?> owner) {
    return !member.isSynthetic() && isVisible(member.getModifiers(), owner);
  }

  private static String executable(Executable executable, @Nullable Method method, String name) {
    int modifiers = executable.getModifiers();
    boolean inInterface = executable.getDeclaringClass().isInterface();
    if (inInterface) {
      modifiers &= ~Modifier.ABSTRACT;
    }
    StringBuilder line = new StringBuilder(modifiers(modifiers));
    if (method != null && method.isDefault()) {
      line.append("default ");
    }
    String typeParameters = typeParameters(executable.getTypeParameters());
    if (!typeParameters.isEmpty()) {
      line.append(typeParameters.substring(1)).append(' ');
    }
    if (method != null) {
      line.append(method.getGenericReturnType().getTypeName()).append(' ');
    }
    Type[] parameters = executable.getGenericParameterTypes();
    List<String> rendered = new ArrayList<>();
    for (int i = 0; i < parameters.length; i++) {
      String parameter = parameters[i].getTypeName();
      if (executable.isVarArgs() && i == parameters.length - 1 && parameter.endsWith("[]")) {
        parameter = parameter.substring(0, parameter.length() - 2) + "...";
      }
      rendered.add(parameter);
    }
    line.append(name).append('(').append(String.join(", ", rendered)).append(')');
    Type[] exceptions = executable.getGenericExceptionTypes();
    if (exceptions.length > 0) {
      line.append(" throws ")
          .append(
              Arrays.stream(exceptions).map(Type::getTypeName).collect(Collectors.joining(", ")));
    }
    return line.toString();
  }

  /** The modifiers that matter to callers, followed by a space when there are any. */
  private static String modifiers(int modifiers) {
    String text = modifiersOf(modifiers & MEMBER_MODIFIERS);
    return text.isEmpty() ? "" : text + " ";
  }

  private static String modifiersOf(int modifiers) {
    return Modifier.toString(modifiers);
  }

  /** {@code " <T extends Bound>"}, or nothing. */
  private static String typeParameters(TypeVariable<?>[] parameters) {
    if (parameters.length == 0) {
      return "";
    }
    return Arrays.stream(parameters)
        .map(
            parameter -> {
              List<String> bounds =
                  Arrays.stream(parameter.getBounds())
                      .filter(bound -> bound != Object.class)
                      .map(Type::getTypeName)
                      .toList();
              return bounds.isEmpty()
                  ? parameter.getName()
                  : parameter.getName() + " extends " + String.join(" & ", bounds);
            })
        .collect(Collectors.joining(", ", " <", ">"));
  }

  private static List<String> classNames(Path classes) {
    if (!Files.isDirectory(classes)) {
      throw new IllegalArgumentException(classes + " is not a directory of compiled classes");
    }
    try (Stream<Path> files = Files.walk(classes)) {
      return files
          .filter(file -> file.getFileName().toString().endsWith(".class"))
          .map(file -> classes.relativize(file).toString())
          .filter(
              file -> !file.endsWith("module-info.class") && !file.endsWith("package-info.class"))
          .map(file -> file.substring(0, file.length() - ".class".length()))
          .map(file -> file.replace(classes.getFileSystem().getSeparator(), "."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path classesDirectory(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null) {
      throw new IllegalArgumentException("No code source for " + type.getName());
    }
    try {
      return Path.of(source.getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(source.getLocation().toString(), e);
    }
  }

  /** The lines of {@code left} not in {@code right}, as many times as they are missing. */
  private static List<String> minus(List<String> left, List<String> right) {
    Map<String, Integer> available = new HashMap<>();
    right.forEach(line -> available.merge(line, 1, Integer::sum));
    List<String> result = new ArrayList<>();
    for (String line : left) {
      int count = available.getOrDefault(line, 0);
      if (count > 0) {
        available.put(line, count - 1);
      } else {
        result.add(line);
      }
    }
    return result;
  }

  /** The lines of an API text, each member prefixed with its type's name so a diff reads alone. */
  private static List<String> qualified(String text) {
    List<String> lines = new ArrayList<>();
    String type = "";
    for (String line : text.lines().toList()) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith(" ")) {
        lines.add(type + ": " + line.strip());
      } else {
        Matcher header = TYPE_HEADER.matcher(line);
        type = header.find() ? header.group(1) : line;
        lines.add(line);
      }
    }
    return lines;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
