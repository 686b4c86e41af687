package dev.tokenauthority.core.zego04;

import dev.tokenauthority.core.codec.EpochSeconds;
import java.time.Instant;

/**
 * The clear part of a Token04: the expiry in the header, the iv and the ciphertext. Everything else
 * needs the server secret ({@link Token04Verifier}). Obtain one with {@link Token04Parser#parse}.
 */
public final class Token04Envelope {
  private final String token;
  private final long expireSeconds;
  private final byte[] iv;
  private final byte[] ciphertext;

  Token04Envelope(String token, long expireSeconds, byte[] iv, byte[] ciphertext) {
    this.token = token;
    this.expireSeconds = expireSeconds;
    this.iv = iv;
    this.ciphertext = ciphertext;
  }

  /** The token string this envelope was read from. */
  public String token() {
    return token;
  }

  /** The expiry in the clear header, unix seconds (within {@link EpochSeconds#MAX}). */
  public long expireSeconds() {
    return expireSeconds;
  }

  /** The expiry in the clear header; not authenticated until the token is decrypted. */
  public Instant expiresAt() {
    return Instant.ofEpochSecond(expireSeconds);
  }

  public byte[] iv() {
    return iv.clone();
  }

  public int ciphertextLength() {
    return ciphertext.length;
  }

  byte[] ivUnsafe() {
    return iv;
  }

  byte[] ciphertextUnsafe() {
    return ciphertext;
  }

  @Override
  public String toString() {
    // Never the token itself: it is a bearer credential.
    return "Token04Envelope[expire=" + expireSeconds + ", ciphertext=" + ciphertext.length + " bytes]";
  }
}
