package dev.tokenauthority.core.agora;

import dev.tokenauthority.core.MalformedTokenException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;

/**
 * Standard base64 with padding, accepted only in its canonical form: length a multiple of 4,
 * padding present, and the unused low bits of the last character zero. Anything else would let
 * several strings stand for one token.
 */
public final class StrictBase64 {
  private StrictBase64() {}

  /**
   * Decodes {@code s} from index {@code from} to its end. By hand rather than the JDK decoder
   * over an ASCII copy of the text: that copy was a fifth of what a token verification allocated.
   * Refuses exactly what the JDK's basic decoder refuses, in the same order of reasons
   * (StrictBase64Test compares the two on valid, mutated and random input).
   */
  public static byte[] decode(String s, int from) {
    int len = s.length() - from;
    if (len <= 0 || len % 4 != 0) {
      throw bad();
    }
    for (int i = from; i < s.length(); i++) {
      if (s.charAt(i) >= 128) {
        throw bad();
      }
    }
    int last = s.length() - 1;
    int pad = s.charAt(last) == '=' ? (s.charAt(last - 1) == '=' ? 2 : 1) : 0;
    if (pad == 2 && (value(s.charAt(last - 2)) & 0x0F) != 0
        || pad == 1 && (value(s.charAt(last - 1)) & 0x03) != 0) {
      throw new MalformedTokenException("NON_CANONICAL_BASE64", "base64 is not in canonical form");
    }
    byte[] out = new byte[len / 4 * 3 - pad];
    int p = 0;
    int dataEnd = s.length() - pad;
    for (int i = from; i < dataEnd; i += 4) {
      int a = sextet(s, i, dataEnd);
      int b = sextet(s, i + 1, dataEnd);
      int c = sextet(s, i + 2, dataEnd);
      int d = sextet(s, i + 3, dataEnd);
      int v = a << 18 | b << 12 | (c < 0 ? 0 : c << 6) | (d < 0 ? 0 : d);
      out[p++] = (byte) (v >>> 16);
      if (c >= 0) {
        out[p++] = (byte) (v >>> 8);
      }
      if (d >= 0) {
        out[p++] = (byte) v;
      }
    }
    return out;
  }

  /** The 6-bit value of {@code s[i]}; -1 at or past {@code dataEnd} (padding); else not base64: BAD_BASE64. */
  private static int sextet(String s, int i, int dataEnd) {
    if (i >= dataEnd) {
      return -1;
    }
    char ch = s.charAt(i);
    int v = DECODE[ch]; // ch < 128: checked above
    if (v < 0) {
      throw bad();
    }
    return v;
  }

  private static final byte[] DECODE = new byte[128];

  static {
    Arrays.fill(DECODE, (byte) -1);
    for (int i = 0; i < 64; i++) {
      DECODE["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".charAt(i)] = (byte) i;
    }
  }

  /** Standard padded base64 of a byte range, without copying the range first. */
  public static String encode(byte[] bytes, int offset, int length) {
    java.nio.ByteBuffer out = Base64.getEncoder().encode(java.nio.ByteBuffer.wrap(bytes, offset, length));
    return new String(out.array(), 0, out.limit(), java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static final byte[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * Entry v (12 bits): the two base64 characters of v, the first in the low byte. Encoding 3 bytes
   * is then two loads from this 8 KiB table and one 4-byte store, instead of four of each: the
   * token text's encoding was ~5 % of a 007 build.
   */
  private static final short[] PAIRS = new short[1 << 12];
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  static {
    for (int v = 0; v < PAIRS.length; v++) {
      PAIRS[v] = (short) (ALPHABET[v >>> 6] & 0xff | ALPHABET[v & 63] << 8);
    }
  }

  /** The length of the padded base64 text of {@code length} bytes. */
  public static int encodedLength(int length) {
    return (length + 2) / 3 * 4;
  }

  /**
   * Standard padded base64 of {@code src[offset, offset+length)} written as ASCII bytes at {@code
   * dst[dstOffset]}; returns the end. For hot paths that build a token's text in a reused buffer
   * (the JDK encoder only writes whole arrays or allocating ByteBuffers).
   */
  public static int encodeInto(byte[] src, int offset, int length, byte[] dst, int dstOffset) {
    int end = offset + length;
    int p = dstOffset;
    int i = offset;
    for (; i + 3 <= end; i += 3) {
      int v = (src[i] & 0xff) << 16 | (src[i + 1] & 0xff) << 8 | (src[i + 2] & 0xff);
      INT_LE.set(dst, p, PAIRS[v >>> 12] & 0xffff | PAIRS[v & 0xfff] << 16);
      p += 4;
    }
    int rest = end - i;
    if (rest > 0) {
      int v = (src[i] & 0xff) << 16 | (rest == 2 ? (src[i + 1] & 0xff) << 8 : 0);
      dst[p++] = ALPHABET[v >>> 18];
      dst[p++] = ALPHABET[(v >>> 12) & 63];
      dst[p++] = rest == 2 ? ALPHABET[(v >>> 6) & 63] : (byte) '=';
      dst[p++] = '=';
    }
    return p;
  }

  /** The 6-bit value of a base64 character; 0 for '=' or anything else (decode then rejects it). */
  private static int value(char c) {
    return c < 128 && DECODE[c] >= 0 ? DECODE[c] : 0;
  }

  private static MalformedTokenException bad() {
    return new MalformedTokenException("BAD_BASE64", "token body is not valid padded base64");
  }
}
