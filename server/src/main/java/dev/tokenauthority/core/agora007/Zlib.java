package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.agora.StrictBase64;
import dev.tokenauthority.core.zlib.Level6Deflater;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * zlib (RFC 1950). Token-sized inputs are deflated by {@link Level6Deflater} (byte-exact with
 * {@code Deflater}, without the 64 KiB hash-table clear that made zlib's reset half of a 007
 * build); larger ones and all inflation use one Deflater/Inflater per thread, reset after each
 * use, so the hot path allocates no native zlib state. Inflation is bounded: output past {@link #MAX_INFLATED} bytes
 * fails at once, so a zlib bomb costs at most that much work.
 */
final class Zlib {
  /** Far above any real token (RTC+RTM with a 255-byte account is under 1 KiB). */
  static final int MAX_INFLATED = 16 * 1024;

  private static final ThreadLocal<Level6Deflater> SMALL_DEFLATER =
      ThreadLocal.withInitial(Level6Deflater::new);
  private static final ThreadLocal<byte[]> SMALL_OUT =
      ThreadLocal.withInitial(() -> new byte[Level6Deflater.maxOutput(Level6Deflater.MAX_INPUT)]);
  private static final ThreadLocal<byte[]> TEXT =
      ThreadLocal.withInitial(() -> new byte[8 + StrictBase64.encodedLength(Level6Deflater.maxOutput(Level6Deflater.MAX_INPUT))]);
  private static final ThreadLocal<Deflater> DEFLATER = ThreadLocal.withInitial(Deflater::new);
  private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);
  private static final ThreadLocal<byte[]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[MAX_INFLATED + 1]);

  private Zlib() {}

  /**
   * {@code prefix} followed by the padded base64 of the default-level zlib stream of {@code
   * in[0, len)}: the whole token text, built in per-thread buffers so only the String is allocated.
   */
  static String deflateBase64(String prefix, byte[] in, int len) {
    if (len > Level6Deflater.MAX_INPUT) {
      byte[] compressed = deflate(in, len);
      return prefix + StrictBase64.encode(compressed, 0, compressed.length);
    }
    byte[] compressed = SMALL_OUT.get();
    int n = SMALL_DEFLATER.get().deflate(in, len, compressed);
    byte[] text = TEXT.get();
    int p = 0;
    for (int i = 0; i < prefix.length(); i++) {
      text[p++] = (byte) prefix.charAt(i); // the version prefix is ASCII
    }
    p = StrictBase64.encodeInto(compressed, 0, n, text, p);
    return new String(text, 0, p, StandardCharsets.ISO_8859_1);
  }

  /** Default-level zlib stream of {@code in[0, len)}, exactly as java.util.zip.Deflater makes it. */
  static byte[] deflate(byte[] in, int len) {
    if (len <= Level6Deflater.MAX_INPUT) {
      byte[] out = SMALL_OUT.get();
      int n = SMALL_DEFLATER.get().deflate(in, len, out);
      return Arrays.copyOf(out, n);
    }
    Deflater deflater = DEFLATER.get();
    try {
      deflater.setInput(in, 0, len);
      deflater.finish();
      // zlib's compressBound, so one pass nearly always suffices.
      byte[] out = new byte[len + (len >>> 12) + (len >>> 14) + (len >>> 25) + 13 + 6];
      int n = 0;
      while (!deflater.finished()) {
        if (n == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        n += deflater.deflate(out, n, out.length - n);
      }
      return n == out.length ? out : Arrays.copyOf(out, n);
    } finally {
      deflater.reset();
    }
  }

  /** Inflates a complete zlib stream with nothing after it. */
  static byte[] inflate(byte[] in) {
    Inflater inflater = INFLATER.get();
    byte[] scratch = SCRATCH.get();
    try {
      inflater.setInput(in);
      int n = 0;
      while (!inflater.finished()) {
        if (n == scratch.length) {
          throw tooLarge();
        }
        int k = inflater.inflate(scratch, n, scratch.length - n);
        n += k;
        if (k == 0 && !inflater.finished()) {
          if (inflater.needsInput()) {
            throw new MalformedTokenException("ZLIB_TRUNCATED", "compressed token ends early");
          }
          if (inflater.needsDictionary() || n < scratch.length) {
            throw new MalformedTokenException("BAD_ZLIB", "token body is not a plain zlib stream");
          }
        }
      }
      if (n > MAX_INFLATED) {
        throw tooLarge();
      }
      if (inflater.getRemaining() > 0) {
        throw new MalformedTokenException("TRAILING_BYTES", "bytes after the end of the zlib stream");
      }
      return Arrays.copyOf(scratch, n);
    } catch (DataFormatException e) {
      throw new MalformedTokenException("BAD_ZLIB", "token body is not valid zlib data");
    } finally {
      inflater.reset();
    }
  }

  private static MalformedTokenException tooLarge() {
    return new MalformedTokenException(
        "TOKEN_TOO_LARGE", "token inflates past " + MAX_INFLATED + " bytes");
  }
}
