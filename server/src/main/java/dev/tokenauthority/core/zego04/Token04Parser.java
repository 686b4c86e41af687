package dev.tokenauthority.core.zego04;

import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.codec.Bytes;
import dev.tokenauthority.core.codec.EpochSeconds;
import java.nio.ByteBuffer;

/**
 * Splits a Token04 into its clear envelope: {@code "04" + base64(i64be expire + u16be len(iv) + iv
 * + u16be len(ct) + ct)}. Throws only {@link MalformedTokenException}, with one of the reasons
 * below.
 */
public final class Token04Parser {
  public static final String PREFIX = "04";

  public static final String TOKEN_EMPTY = "TOKEN_EMPTY";
  public static final String TOKEN_TOO_LONG = "TOKEN_TOO_LONG";
  public static final String BAD_PREFIX = "BAD_PREFIX";
  public static final String BAD_BASE64 = "BAD_BASE64";
  public static final String TRUNCATED = "TRUNCATED";
  public static final String TRAILING_BYTES = "TRAILING_BYTES";
  public static final String BAD_IV_LENGTH = "BAD_IV_LENGTH";
  public static final String BAD_CIPHERTEXT_LENGTH = "BAD_CIPHERTEXT_LENGTH";
  public static final String BAD_EXPIRE = "BAD_EXPIRE";
  /** Reasons found only after decryption (see {@link Token04Verifier}). */
  public static final String BAD_PLAINTEXT = Token04Plaintext.BAD_PLAINTEXT;
  public static final String BAD_PAYLOAD = Token04Plaintext.BAD_PAYLOAD;
  public static final String EXPIRE_MISMATCH = Token04Plaintext.EXPIRE_MISMATCH;

  /** Header (8 + 2 + 16 + 2) plus the largest ciphertext a u16 can announce, in base64. */
  static final int MAX_TOKEN_CHARS = PREFIX.length() + 4 * ((28 + 0xFFFF + 2) / 3);

  private Token04Parser() {}

  public static Token04Envelope parse(String token) {
    if (token == null || token.isEmpty()) {
      throw new MalformedTokenException(TOKEN_EMPTY, "no token given");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new MalformedTokenException(TOKEN_TOO_LONG, "longer than any ZEGO Token04 can be");
    }
    if (!token.startsWith(PREFIX)) {
      throw new MalformedTokenException(BAD_PREFIX, "a ZEGO Token04 starts with \"04\"");
    }
    byte[] bytes =
        Bytes.base64Canonical(token.substring(PREFIX.length()))
            .orElseThrow(
                () -> new MalformedTokenException(BAD_BASE64, "not canonical padded base64"));
    ByteBuffer in = ByteBuffer.wrap(bytes); // big-endian, as the format says
    require(in, Long.BYTES + Short.BYTES);
    long expire = in.getLong();
    int ivLength = Short.toUnsignedInt(in.getShort());
    if (ivLength != Aes256Cbc.IV_BYTES) {
      throw new MalformedTokenException(BAD_IV_LENGTH, "iv length is " + ivLength + ", not 16");
    }
    require(in, ivLength + Short.BYTES);
    byte[] iv = new byte[ivLength];
    in.get(iv);
    int ctLength = Short.toUnsignedInt(in.getShort());
    require(in, ctLength);
    byte[] ciphertext = new byte[ctLength];
    in.get(ciphertext);
    if (in.hasRemaining()) {
      throw new MalformedTokenException(TRAILING_BYTES, in.remaining() + " bytes after the ciphertext");
    }
    if (ctLength == 0 || ctLength % Aes256Cbc.BLOCK_BYTES != 0) {
      throw new MalformedTokenException(
          BAD_CIPHERTEXT_LENGTH, "ciphertext length " + ctLength + " is not a positive multiple of 16");
    }
    if (!EpochSeconds.inRange(expire)) {
      throw new MalformedTokenException(BAD_EXPIRE, "expiry is not a plausible unix time");
    }
    return new Token04Envelope(token, expire, iv, ciphertext);
  }

  private static void require(ByteBuffer in, int n) {
    if (in.remaining() < n) {
      throw new MalformedTokenException(TRUNCATED, "token ends before its announced lengths");
    }
  }
}
