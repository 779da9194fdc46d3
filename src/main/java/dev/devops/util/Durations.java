package dev.devops.util;

import java.time.Duration;

/** Short human durations: "2h ago", "24h active". */
public final class Durations {
  private Durations() {}

  /** How long ago: "just now", "5m ago", "2h ago", "3d ago", "1w ago", "4mo ago", "2y ago". */
  public static String ago(Duration age) {
    long s = Math.max(0, age.getSeconds());
    if (s < 60) {
      return "just now";
    }
    if (s < 3600) {
      return s / 60 + "m ago";
    }
    if (s < 86_400) {
      return s / 3600 + "h ago";
    }
    long days = s / 86_400;
    if (days < 7) {
      return days + "d ago";
    }
    if (days < 56) {
      return days / 7 + "w ago";
    }
    if (days < 365) {
      return days / 30 + "mo ago";
    }
    return days / 365 + "y ago";
  }

  /** How long something was live, in hours as the rollback view shows it: "<1m", "12m", "168h". */
  public static String span(Duration live) {
    long s = Math.max(0, live.getSeconds());
    if (s < 60) {
      return "<1m";
    }
    if (s < 3600) {
      return s / 60 + "m";
    }
    return s / 3600 + "h";
  }
}
