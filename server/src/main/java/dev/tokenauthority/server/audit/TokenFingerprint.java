package dev.tokenauthority.server.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short, one-way handle for a token in logs: the first 16 hex digits of its SHA-256. Enough to
 * correlate an issue with a later renewal or a client report; useless for replaying the token.
 */
public final class TokenFingerprint {
  private TokenFingerprint() {}

  public static String of(String token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }
}
