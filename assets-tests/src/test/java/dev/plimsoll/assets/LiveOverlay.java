package dev.plimsoll.assets;

/**
 * The alerts of the test-only {@code alerts/tests/live-overlay.yaml}: the production alerts over
 * windows of seconds, named like them with the suffix {@code _Live}.
 */
final class LiveOverlay {

  /** The deployment alert on a version's error ratio (ServiceErrorRatioHigh). */
  static final String ERROR_RATIO = "ServiceErrorRatioHigh_Live";

  /**
   * The alert on a new version failing more than the one it replaces
   * (NewVersionErrorRatioRegression).
   */
  static final String ERROR_RATIO_REGRESSION = "NewVersionErrorRatioRegression_Live";

  /** The fast-burn availability SLO alert (SloAvailabilityBurnRate1h). */
  static final String SLO_FAST_BURN = "SloAvailabilityBurnRate1h_Live";

  private LiveOverlay() {}

  static boolean isErrorRatioAlert(String name) {
    return ERROR_RATIO.equals(name);
  }

  static boolean isSloAlert(String name) {
    return SLO_FAST_BURN.equals(name);
  }
}
