package dev.tokenauthority.core.diagnose;

import java.util.Objects;

/**
 * One reason a vendor would refuse the intended use: a stable reason, what is wrong (values
 * echoed bounded) and a one-line fix.
 */
public record Finding(FindingReason reason, String message, String fix) {
  private static final int MAX_ECHO = 64;

  public Finding {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(fix, "fix");
  }

  /** A value quoted for a message, cut to a bounded length (caller input is echoed only bounded). */
  static String quote(String value) {
    String shown = value.length() <= MAX_ECHO ? value : value.substring(0, MAX_ECHO) + "…";
    return "\"" + shown + "\"";
  }
}
