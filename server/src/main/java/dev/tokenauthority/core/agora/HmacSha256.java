package dev.tokenauthority.core.agora;

import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
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

  private static final ThreadLocal<Engine> ENGINE = ThreadLocal.withInitial(Engine::new);

  private HmacSha256() {}

  /**
   * HMAC-SHA256 (RFC 2104) of {@code message[offset, offset+length)} under {@code key[0, keyLength)}
   * (at most 64 bytes, the only sizes tokens use) into {@code out[outOffset, outOffset+32)}, with
   * no allocation: a per-thread SHA-256 digest and pad buffer instead of a keyed {@link Mac}, whose
   * init allocates a key copy and spec per call. Hand-written because the 007 build runs three
   * of these per token; {@code HmacSha256Test} checks it against {@link Mac}.
   */
  public static void macInto(byte[] key, int keyLength, byte[] message, int offset, int length,
      byte[] out, int outOffset) {
    if (keyLength > Engine.BLOCK) {
      throw new IllegalArgumentException("HMAC key longer than one block");
    }
    ENGINE.get().mac(key, keyLength, message, offset, length, out, outOffset);
  }

  /** Per-thread state of {@link #macInto}. */
  private static final class Engine {
    static final int BLOCK = 64;
    private final MessageDigest sha256;
    private final byte[] pad = new byte[BLOCK];
    private final byte[] inner = new byte[LENGTH];

    Engine() {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required by every Java platform", e);
      }
    }

    void mac(byte[] key, int keyLength, byte[] message, int offset, int length, byte[] out, int outOffset) {
      try {
        keyPad(key, keyLength, (byte) 0x36);
        sha256.update(pad, 0, BLOCK);
        sha256.update(message, offset, length);
        sha256.digest(inner, 0, LENGTH);
        keyPad(key, keyLength, (byte) 0x5c);
        sha256.update(pad, 0, BLOCK);
        sha256.update(inner, 0, LENGTH);
        sha256.digest(out, outOffset, LENGTH);
      } catch (DigestException e) {
        throw new IllegalStateException("SHA-256 digest into a 32-byte range failed", e);
      } finally {
        Arrays.fill(pad, (byte) 0);
      }
    }

    private void keyPad(byte[] key, int keyLength, byte fill) {
      for (int i = 0; i < keyLength; i++) {
        pad[i] = (byte) (key[i] ^ fill);
      }
      Arrays.fill(pad, keyLength, BLOCK, fill);
    }
  }

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
