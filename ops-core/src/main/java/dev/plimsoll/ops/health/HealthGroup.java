package dev.plimsoll.ops.health;

import java.util.Locale;

/** The probes a check can belong to. */
public enum HealthGroup {
  /** Is the process alive? No dependency checks, so an outage never restarts every pod. */
  LIVE,
  /** Can it take traffic now? Dependencies are checked here. */
  READY,
  /** Has it finished starting? */
  STARTED;

  /** The name used in endpoints and the {@code group} label: {@code live}, {@code ready}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
