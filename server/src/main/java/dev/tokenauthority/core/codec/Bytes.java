package dev.tokenauthority.core.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Strict decoding helpers shared by the token parsers; each returns empty instead of guessing. */
public final class Bytes {
  private Bytes() {}

  /** The text {@code bytes} encode as UTF-8, or empty when the bytes are not well-formed UTF-8. */
  public static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /** Standard base64 with padding, accepted only in its one canonical spelling. */
  public static Optional<byte[]> base64Canonical(String s) {
    return decodeCanonical(s, Base64.getDecoder(), Base64.getEncoder());
  }

  /**
   * URL-safe base64, with or without '=' padding, accepted only when it is the canonical spelling of
   * its bytes in the padding style it uses.
   */
  public static Optional<byte[]> base64UrlCanonical(String s) {
    Base64.Encoder encoder =
        s.endsWith("=") ? Base64.getUrlEncoder() : Base64.getUrlEncoder().withoutPadding();
    return decodeCanonical(s, Base64.getUrlDecoder(), encoder);
  }

  private static Optional<byte[]> decodeCanonical(
      String s, Base64.Decoder decoder, Base64.Encoder encoder) {
    byte[] bytes;
    try {
      bytes = decoder.decode(s);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    // The JDK decoder ignores non-zero leftover bits and accepts a missing padding; re-encoding
    // rejects every spelling but one, so no two token strings carry the same bytes.
    return encoder.encodeToString(bytes).equals(s) ? Optional.of(bytes) : Optional.empty();
  }
}
