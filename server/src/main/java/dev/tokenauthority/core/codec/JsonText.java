package dev.tokenauthority.core.codec;

/**
 * Writes JSON string literals byte for byte as ECMAScript {@code JSON.stringify} does, because the
 * vendors' reference generators (Node.js for ZEGO) define the plaintext we must reproduce.
 */
public final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /** Appends {@code s} as a quoted JSON string. */
  public static StringBuilder appendQuoted(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || isLoneSurrogate(s, i)) {
            appendUnicodeEscape(out, c);
          } else {
            out.append(c);
            if (Character.isHighSurrogate(c)) {
              out.append(s.charAt(++i)); // well-formed pair, checked by isLoneSurrogate
            }
          }
        }
      }
    }
    return out.append('"');
  }

  /** Returns {@code s} as a quoted JSON string. */
  public static String quote(String s) {
    return appendQuoted(new StringBuilder(s.length() + 2), s).toString();
  }

  /** True when the string contains an unpaired surrogate (it cannot be encoded as UTF-8). */
  public static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isLoneSurrogate(s, i)) {
        return true;
      }
      if (Character.isHighSurrogate(c)) {
        i++;
      }
    }
    return false;
  }

  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    return Character.isLowSurrogate(c);
  }

  private static void appendUnicodeEscape(StringBuilder out, char c) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
