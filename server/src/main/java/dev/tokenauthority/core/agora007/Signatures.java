package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.agora.HmacSha256;
import java.nio.charset.StandardCharsets;

/**
 * The AccessToken2 signature: signing_key = HMAC(u32le(salt), HMAC(u32le(issue_ts), certificate)),
 * signature = HMAC(signing_key, signing_info).
 */
final class Signatures {
  private Signatures() {}

  static byte[] sign(String certificate, long issueTs, long salt, byte[] signed, int offset, int length) {
    byte[] byIssueTs = HmacSha256.mac(u32le(issueTs), certificate.getBytes(StandardCharsets.UTF_8));
    byte[] signingKey = HmacSha256.mac(u32le(salt), byIssueTs);
    return HmacSha256.mac(signingKey, signed, offset, length);
  }

  private static byte[] u32le(long v) {
    return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
  }
}
