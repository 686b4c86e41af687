package dev.tokenauthority.core;

/**
 * A token string cannot be read: truncated, wrong version, bad base64, oversized when inflated,
 * trailing bytes, lengths past the end, undecryptable, and so on. The only exception a parser throws.
 */
public final class MalformedTokenException extends TokenException {
  public MalformedTokenException(String reason, String message) {
    super(reason, message, null);
  }

  public MalformedTokenException(String reason, String message, Throwable cause) {
    super(reason, message, cause);
  }
}
