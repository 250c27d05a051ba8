package dev.plimsoll.ops.health;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks that the file system holding a directory has at least a given number of bytes free. */
public final class DiskSpaceHealthCheck implements HealthCheck {

  private final Path path;
  private final long minFreeBytes;

  private DiskSpaceHealthCheck(Path path, long minFreeBytes) {
    this.path = requireNonNull(path, "path");
    if (minFreeBytes < 0) {
      throw new IllegalArgumentException("minFreeBytes must not be negative");
    }
    this.minFreeBytes = minFreeBytes;
  }

  /** Down with reason {@code low disk space} when fewer than {@code minFreeBytes} are usable. */
  public static DiskSpaceHealthCheck of(Path path, long minFreeBytes) {
    return new DiskSpaceHealthCheck(path, minFreeBytes);
  }

  @Override
  public HealthResult check() throws IOException {
    FileStore store = Files.getFileStore(path);
    long free = store.getUsableSpace();
    HealthResult result =
        free < minFreeBytes ? HealthResult.down("low disk space") : HealthResult.up();
    return result
        .withDetail("free_bytes", free)
        .withDetail("total_bytes", store.getTotalSpace())
        .withDetail("min_free_bytes", minFreeBytes);
  }
}
