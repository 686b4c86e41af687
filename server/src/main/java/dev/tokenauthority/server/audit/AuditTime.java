package dev.tokenauthority.server.audit;

import java.time.Instant;

/**
 * {@link Instant#toString()} (ISO-8601, UTC, a fraction of 0, 3, 6 or 9 digits as needed) for the
 * audit line's time, character for character, with the date and time of day formatted once per
 * second instead of once per line: {@code Instant.toString} was over a quarter of the audit
 * line's cost on a token call.
 */
final class AuditTime {
  /** The last second formatted, shared by all threads; a race only formats a second twice. */
  private static volatile Second last = new Second(Long.MIN_VALUE, "");

  private record Second(long epochSecond, String text) {}

  private AuditTime() {}

  static String format(Instant t) {
    Second s = last;
    if (s.epochSecond != t.getEpochSecond()) {
      String whole = Instant.ofEpochSecond(t.getEpochSecond()).toString(); // "...:ssZ"
      s = new Second(t.getEpochSecond(), whole.substring(0, whole.length() - 1));
      last = s;
    }
    int nano = t.getNano();
    if (nano == 0) {
      return s.text + 'Z';
    }
    int digits = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
    int value = digits == 3 ? nano / 1_000_000 : digits == 6 ? nano / 1_000 : nano;
    char[] tail = new char[digits + 2];
    tail[0] = '.';
    for (int i = digits; i >= 1; i--) {
      tail[i] = (char) ('0' + value % 10);
      value /= 10;
    }
    tail[digits + 1] = 'Z';
    return s.text.concat(new String(tail));
  }
}
