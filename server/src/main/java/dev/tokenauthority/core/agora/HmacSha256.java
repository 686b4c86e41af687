package dev.tokenauthority.core.agora;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 on the hot path: one {@link Mac} per thread (the provider is looked up once per
 * thread, not per token) re-keyed per call; constant-time comparison for signatures.
 */
public final class HmacSha256 {
  public static final int LENGTH = 32;

  private static final ThreadLocal<Mac> MAC =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Mac.getInstance("HmacSHA256");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
            }
          });

  private HmacSha256() {}

  public static byte[] mac(byte[] key, byte[] message) {
    return mac(key, message, 0, message.length);
  }

  public static byte[] mac(byte[] key, byte[] message, int offset, int length) {
    Mac mac = keyed(key);
    mac.update(message, offset, length);
    return mac.doFinal();
  }

  /**
   * The calling thread's Mac, keyed with {@code key}, for callers that feed several parts. Use it
   * at once (update..., doFinal) and do not keep it: the next call on this thread re-keys it.
   */
  public static Mac keyed(byte[] key) {
    Mac mac = MAC.get();
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (java.security.InvalidKeyException | IllegalArgumentException e) {
      // Only an empty key gets here; validation rejects those before any signing.
      throw new IllegalStateException("HMAC key rejected", e);
    }
    return mac;
  }

  /** Constant-time equality (length is not secret). */
  public static boolean equal(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
