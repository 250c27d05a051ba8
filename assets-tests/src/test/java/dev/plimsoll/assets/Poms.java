package dev.plimsoll.assets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The reactor's POMs as the release sees them: a module is published unless its pom sets {@code
 * maven.deploy.skip}, the one switch both {@code deploy} and the release profile follow.
 */
final class Poms {

  static final String GROUP_ID = "dev.plimsoll";
  static final String PARENT = "plimsoll-parent";

  private Poms() {}

  /** One module of the root pom.xml. */
  record Module(String artifactId, Path dir, Element pom, boolean published) {
    String packaging() {
      String packaging = text(pom, "packaging");
      return packaging == null ? "jar" : packaging;
    }
  }

  static Element root() {
    return read(Assets.root().resolve("pom.xml"));
  }

  /** The reactor's version, shared by every module and the BOM. */
  static String version() {
    return java.util.Objects.requireNonNull(text(root(), "version"), "version");
  }

  static List<Module> modules() {
    List<Module> modules = new ArrayList<>();
    for (Element module : children(child(root(), "modules"), "module")) {
      Path dir = Assets.root().resolve(module.getTextContent().trim());
      Element pom = read(dir.resolve("pom.xml"));
      Element properties = child(pom, "properties");
      boolean skipped = properties != null && "true".equals(text(properties, "maven.deploy.skip"));
      modules.add(new Module(text(pom, "artifactId"), dir, pom, !skipped));
    }
    return modules;
  }

  static List<Module> published() {
    return modules().stream().filter(Module::published).toList();
  }

  static Element read(Path file) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document document = factory.newDocumentBuilder().parse(Files.newInputStream(file));
      return document.getDocumentElement();
    } catch (IOException | ParserConfigurationException | SAXException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  /** The first child element named {@code name}, or null. */
  static @Nullable Element child(@Nullable Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  /** The child elements named {@code name}. */
  static List<Element> children(@Nullable Element parent, String name) {
    return elements(parent).stream().filter(e -> e.getTagName().equals(name)).toList();
  }

  /** Every child element. */
  static List<Element> elements(@Nullable Element parent) {
    List<Element> found = new ArrayList<>();
    if (parent != null) {
      for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
        if (node instanceof Element element) {
          found.add(element);
        }
      }
    }
    return found;
  }

  /** The trimmed text of the child element named {@code name}, or null. */
  static @Nullable String text(@Nullable Element parent, String name) {
    Element child = child(parent, name);
    return child == null ? null : child.getTextContent().trim();
  }
}
