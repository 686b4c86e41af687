package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.agora.HmacSha256;
import java.nio.charset.StandardCharsets;

/**
 * The AccessToken2 signature: signing_key = HMAC(u32le(salt), HMAC(u32le(issue_ts), certificate)),
 * signature = HMAC(signing_key, signing_info).
 *
 * <p>The inner step depends only on the certificate and the issue second, which every token of
 * that second shares, so each thread keeps the last one it computed: a build then costs two HMACs
 * instead of three. Everything runs on per-thread buffers; only the signature is allocated.
 */
final class Signatures {
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private Signatures() {}

  /** Per-thread buffers and the cached inner step (certificate, issue_ts) → HMAC. */
  private static final class Scratch {
    final byte[] u32 = new byte[4];
    final byte[] byIssueTs = new byte[HmacSha256.LENGTH];
    final byte[] signingKey = new byte[HmacSha256.LENGTH];
    String cachedCertificate;
    long cachedIssueTs = -1;

    byte[] byIssueTs(String certificate, long issueTs) {
      if (issueTs != cachedIssueTs || !certificate.equals(cachedCertificate)) {
        byte[] key = certificate.getBytes(StandardCharsets.UTF_8);
        HmacSha256.macInto(u32le(issueTs), 4, key, 0, key.length, byIssueTs, 0);
        cachedCertificate = certificate;
        cachedIssueTs = issueTs;
      }
      return byIssueTs;
    }

    byte[] u32le(long v) {
      u32[0] = (byte) v;
      u32[1] = (byte) (v >>> 8);
      u32[2] = (byte) (v >>> 16);
      u32[3] = (byte) (v >>> 24);
      return u32;
    }
  }

  static byte[] sign(String certificate, long issueTs, long salt, byte[] signed, int offset, int length) {
    byte[] signature = new byte[HmacSha256.LENGTH];
    signInto(certificate, issueTs, salt, signed, offset, length, signature, 0);
    return signature;
  }

  /** As {@link #sign}, writing the 32 bytes to {@code out[outOffset]}. */
  static void signInto(String certificate, long issueTs, long salt, byte[] signed, int offset, int length,
      byte[] out, int outOffset) {
    Scratch s = SCRATCH.get();
    byte[] byIssueTs = s.byIssueTs(certificate, issueTs);
    HmacSha256.macInto(s.u32le(salt), 4, byIssueTs, 0, HmacSha256.LENGTH, s.signingKey, 0);
    HmacSha256.macInto(s.signingKey, HmacSha256.LENGTH, signed, offset, length, out, outOffset);
  }
}
