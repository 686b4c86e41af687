package dev.tokenauthority.core;

/**
 * Root of every failure the token core reports on purpose. Unchecked, like jjwt's JwtException,
 * so callers catch exactly the subtype they can handle.
 *
 * <p>{@link #reason()} is a stable UPPER_SNAKE code (for example {@code CHANNEL_NAME_TOO_LONG},
 * {@code SIGNATURE_MISMATCH}) that the gRPC layer copies into ErrorInfo. Messages never contain a
 * secret or a whole token.
 */
public abstract sealed class TokenException extends RuntimeException
    permits InvalidTokenInputException, MalformedTokenException, TokenVerificationException {

  private final String reason;

  protected TokenException(String reason, String message, Throwable cause) {
    super(message, cause, false, cause != null);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
