package dev.tokenauthority.core.zego04;

import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-CBC with PKCS#7 padding. A Cipher is not thread-safe and getInstance costs a provider
 * look-up, so each thread keeps one and re-initialises it per token.
 */
final class Aes256Cbc {
  static final int IV_BYTES = 16;
  static final int BLOCK_BYTES = 16;

  private static final ThreadLocal<Cipher> CIPHER =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/CBC/PKCS5Padding"); // PKCS5 here means PKCS#7
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("the JDK lacks AES/CBC", e);
            }
          });

  private Aes256Cbc() {}

  static SecretKeySpec key(byte[] key32) {
    return new SecretKeySpec(key32, "AES");
  }

  static byte[] encrypt(SecretKeySpec key, byte[] iv, byte[] plaintext) {
    Cipher cipher = CIPHER.get();
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      // Key and iv sizes are checked by the callers, so this is a bug, not bad input.
      throw new IllegalStateException("AES encryption failed", e);
    }
  }

  /** The plaintext, or empty when the padding is wrong (the usual sign of a wrong key). */
  static Optional<byte[]> decrypt(SecretKeySpec key, byte[] iv, byte[] ciphertext) {
    Cipher cipher = CIPHER.get();
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(iv));
      return Optional.of(cipher.doFinal(ciphertext));
    } catch (BadPaddingException | IllegalBlockSizeException e) {
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES decryption failed", e);
    }
  }
}
