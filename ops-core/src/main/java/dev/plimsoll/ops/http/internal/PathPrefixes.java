package dev.plimsoll.ops.http.internal;

import java.util.List;

/**
 * Path prefixes a request path is matched against, such as the paths kept out of the metrics or the
 * access log. Not API.
 */
public final class PathPrefixes {

  private final String[] prefixes;

  private PathPrefixes(List<String> prefixes) {
    this.prefixes = prefixes.toArray(new String[0]);
  }

  /** Matches paths that start with one of {@code prefixes}; with none, matches nothing. */
  public static PathPrefixes of(List<String> prefixes) {
    return new PathPrefixes(prefixes);
  }

  /** Whether {@code path} starts with one of the prefixes. */
  public boolean matches(String path) {
    // An array and a plain loop: this runs twice per request.
    for (String prefix : prefixes) {
      if (path.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
