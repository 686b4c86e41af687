package dev.tokenauthority.core.agora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenauthority.core.MalformedTokenException;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written decoder refuses and returns exactly what the JDK decoder over an ASCII copy did. */
class StrictBase64Test {
  private static final String CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .é\u0000";

  /** The decoder before it was written by hand: the JDK's, over an ASCII copy (the reference). */
  private static byte[] reference(String s, int from) {
    int len = s.length() - from;
    if (len <= 0 || len % 4 != 0) {
      throw bad();
    }
    byte[] ascii = new byte[len];
    for (int i = 0; i < len; i++) {
      char c = s.charAt(from + i);
      if (c >= 128) {
        throw bad();
      }
      ascii[i] = (byte) c;
    }
    int pad = ascii[len - 1] == '=' ? (ascii[len - 2] == '=' ? 2 : 1) : 0;
    if (pad == 2 && (referenceValue(ascii[len - 3]) & 0x0F) != 0
        || pad == 1 && (referenceValue(ascii[len - 2]) & 0x03) != 0) {
      throw new MalformedTokenException("NON_CANONICAL_BASE64", "base64 is not in canonical form");
    }
    try {
      return Base64.getDecoder().decode(ascii);
    } catch (IllegalArgumentException e) {
      throw bad();
    }
  }

  private static int referenceValue(byte c) {
    int i = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".indexOf(c);
    return Math.max(i, 0);
  }

  private static MalformedTokenException bad() {
    return new MalformedTokenException("BAD_BASE64", "token body is not valid padded base64");
  }

  /** "ok:" and the bytes in hex, or the refusal's reason: what both decoders must agree on. */
  private static String outcome(java.util.function.BiFunction<String, Integer, byte[]> decoder, String s, int from) {
    try {
      return "ok:" + java.util.HexFormat.of().formatHex(decoder.apply(s, from));
    } catch (MalformedTokenException e) {
      return e.reason();
    }
  }

  private static void assertSame(String s, int from) {
    assertEquals(outcome(StrictBase64Test::reference, s, from), outcome(StrictBase64::decode, s, from), s);
  }

  @Test
  void decodesWhatTheJdkEncodesAfterAPrefix() {
    Random random = new Random(7);
    for (int n = 0; n < 400; n++) {
      byte[] bytes = new byte[n];
      random.nextBytes(bytes);
      String text = "007" + Base64.getEncoder().encodeToString(bytes);
      if (n > 0) {
        assertArrayEquals(bytes, StrictBase64.decode(text, 3));
      }
      assertSame(text, 3);
    }
  }

  @Test
  void refusesWhatTheJdkDecoderRefusedForTheSameReason() {
    Random random = new Random(11);
    for (int i = 0; i < 200_000; i++) {
      String valid = Base64.getEncoder().encodeToString(randomBytes(random, 1 + random.nextInt(40)));
      StringBuilder s = new StringBuilder(valid);
      int edits = random.nextInt(4);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(s.length());
        char c = CHARS.charAt(random.nextInt(CHARS.length()));
        switch (random.nextInt(3)) {
          case 0 -> s.setCharAt(at, c);
          case 1 -> s.insert(at, c);
          default -> s.deleteCharAt(at);
        }
        if (s.isEmpty()) {
          s.append(c);
        }
      }
      assertSame(s.toString(), 0);
    }
  }

  @Test
  void refusesPaddingInTheWrongPlaceAndNonCanonicalEnds() {
    for (String s : new String[] {"A===", "====", "AB=C", "AB==AB==", "QUI=", "QUJ=", "QR==", "QQ==", "Q===",
        "QUJD", "QUJD====", "Zm9v\u00e9AAA", "Zm9", ""}) {
      assertSame(s, 0);
    }
    assertEquals("NON_CANONICAL_BASE64", outcome(StrictBase64::decode, "QR==", 0));
    assertEquals("BAD_BASE64", outcome(StrictBase64::decode, "AB=C", 0));
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
