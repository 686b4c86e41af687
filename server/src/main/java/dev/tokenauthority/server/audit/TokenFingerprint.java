package dev.tokenauthority.server.audit;

import dev.tokenauthority.core.ClaimsFingerprint;
import dev.tokenauthority.core.TokenClaims;

/**
 * A short, one-way handle for a token in logs (16 hex digits of a SHA-256). Enough to correlate an
 * issue with a later renewal or a client report; useless for replaying the token.
 */
public final class TokenFingerprint {
  private TokenFingerprint() {}

  /**
   * Over the token's canonical claims ({@link ClaimsFingerprint}), so every encoding of the same
   * claims has one fingerprint.
   */
  public static String of(TokenClaims claims) {
    return ClaimsFingerprint.of(claims);
  }

  /** Over the token's text: for tokens whose claims cannot be read (opaque vendor tokens, garbage). */
  public static String of(String token) {
    return ClaimsFingerprint.ofText(token);
  }
}
