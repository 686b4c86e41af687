package dev.tokenauthority.core;

/** A well-formed token failed verification: no credential matched, or it (or a privilege) has expired. */
public final class TokenVerificationException extends TokenException {
  /** Stable reasons; the gRPC layer maps them to statuses. */
  public static final String SIGNATURE_MISMATCH = "SIGNATURE_MISMATCH";
  public static final String TOKEN_EXPIRED = "TOKEN_EXPIRED";
  public static final String PRIVILEGE_EXPIRED = "PRIVILEGE_EXPIRED";
  public static final String NOT_YET_VALID = "TOKEN_NOT_YET_VALID";
  public static final String NO_CREDENTIALS = "NO_CREDENTIALS";

  public TokenVerificationException(String reason, String message) {
    super(reason, message, null);
  }
}
