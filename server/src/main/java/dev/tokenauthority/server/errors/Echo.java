package dev.tokenauthority.server.errors;

/**
 * Caller-supplied values as they may appear in error messages and audit lines: at most {@link
 * #MAX_CHARS} characters, a longer value cut and marked with its length ({@code abc…(3000 chars)}),
 * so a hostile value can neither blow up a client's metadata limit nor write 64 KB audit lines.
 */
public final class Echo {
  public static final int MAX_CHARS = 128;
  /** A whole error message: fixed text plus bounded values stays well under this. */
  static final int MAX_MESSAGE_CHARS = 1024;

  private Echo() {}

  /** {@code value} if short enough, else its first {@value #MAX_CHARS} characters marked with the length. */
  public static String of(String value) {
    return of(value, MAX_CHARS);
  }

  static String of(String value, int max) {
    if (value == null || value.length() <= max) {
      return value;
    }
    int cut = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max; // never half a pair
    return value.substring(0, cut) + "…(" + value.length() + " chars)";
  }
}
