package dev.plimsoll.assets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Another build of a packaged jar: the same Maven version from another commit, as CI produces
 * between two releases. Every entry is copied with the same content, name, order and time, stored
 * entries stay stored (Spring Boot's launcher reads nested jars in place, so they must be), and
 * only the outer manifest's {@value #REVISION} changes.
 */
final class RevisionStamp {

  /** The manifest attribute the build writes with the commit it was built from. */
  static final String REVISION = "SCM-Revision";

  private RevisionStamp() {}

  /**
   * Writes {@code target}, a copy of {@code jar} whose manifest says it was built from {@code
   * revision}; returns {@code target}.
   */
  static Path copy(Path jar, String revision, Path target) throws IOException {
    try (ZipFile in = new ZipFile(jar.toFile());
        OutputStream file = Files.newOutputStream(target);
        ZipOutputStream out = new ZipOutputStream(file)) {
      Enumeration<? extends ZipEntry> entries = in.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
          Manifest manifest;
          try (InputStream body = in.getInputStream(entry)) {
            manifest = new Manifest(body);
          }
          manifest.getMainAttributes().put(new Attributes.Name(REVISION), revision);
          ZipEntry stamped = new ZipEntry(entry.getName());
          stamped.setTime(entry.getTime());
          out.putNextEntry(stamped);
          manifest.write(out);
        } else {
          ZipEntry copy = new ZipEntry(entry);
          if (entry.getMethod() == ZipEntry.DEFLATED) {
            copy.setCompressedSize(-1); // deflated again: the size may differ, the content not
          }
          out.putNextEntry(copy);
          try (InputStream body = in.getInputStream(entry)) {
            body.transferTo(out);
          }
        }
        out.closeEntry();
      }
    }
    return target;
  }
}
