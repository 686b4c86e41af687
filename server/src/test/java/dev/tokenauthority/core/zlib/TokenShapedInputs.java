package dev.tokenauthority.core.zlib;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Random inputs for the differential deflater test: mostly AccessToken2 bodies (signature, app id,
 * times, salt, services with channel names, uids and accounts), plus the shapes that reach zlib's
 * other paths: incompressible bytes (stored blocks), small alphabets and copied runs (long and
 * lazy matches, length 258), and Fibonacci-skewed symbol counts (code lengths past 15 and 7 that
 * gen_bitlen must repair).
 */
final class TokenShapedInputs {
  private static final String CHANNEL_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&()+-:;<=.>?@[]^_{|}~,";
  private final SplittableRandom random;

  TokenShapedInputs(SplittableRandom random) {
    this.random = random;
  }

  byte[] next() {
    int kind = random.nextInt(100);
    if (kind < 60) {
      return token();
    } else if (kind < 70) {
      return randomBytes(random.nextInt(700));
    } else if (kind < 80) {
      return smallAlphabet(random.nextInt(Level6Deflater.MAX_INPUT + 1));
    } else if (kind < 92) {
      return withCopies(token());
    } else {
      return fibonacciSkewed();
    }
  }

  /**
   * The commonest production body: one RTC service with a publisher's four privileges of one
   * lifetime, a channel name and a numeric uid (or a user account).
   */
  byte[] publisherToken() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    u16(out, 32);
    out.writeBytes(randomBytes(32));
    u16(out, 32);
    out.writeBytes(hex(32));
    u32(out, 1_700_000_000L + random.nextInt(100_000_000));
    int lifetime = 60 + random.nextInt(86_400 - 60);
    u32(out, lifetime);
    u32(out, 1 + random.nextInt(99_999_999));
    u16(out, 1);
    u16(out, 1);
    u16(out, 4);
    for (int p = 1; p <= 4; p++) {
      u16(out, p);
      u32(out, lifetime);
    }
    string(out, text(1 + random.nextInt(random.nextInt(10) == 0 ? 64 : 24)));
    string(out, random.nextInt(10) == 0 ? text(1 + random.nextInt(32)) : Long.toString(1 + random.nextLong(1L << 32)));
    return out.toByteArray();
  }

  /** An AccessToken2 body (random signature, app id, times, salt and services). */
  private byte[] token() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    u16(out, 32);
    out.writeBytes(randomBytes(32));
    u16(out, 32);
    out.writeBytes(hex(32));
    long ts = 1_700_000_000L + random.nextInt(100_000_000);
    u32(out, ts);
    u32(out, 1 + random.nextInt(86_400));
    u32(out, 1 + random.nextInt(99_999_999));
    int services = 1 + random.nextInt(3);
    u16(out, services);
    for (int s = 0; s < services; s++) {
      u16(out, 1 + random.nextInt(7));
      int privileges = random.nextInt(5);
      u16(out, privileges);
      for (int p = 1; p <= privileges; p++) {
        u16(out, p);
        u32(out, random.nextBoolean() ? 0 : random.nextInt(86_401));
      }
      string(out, text(random.nextInt(random.nextInt(10) == 0 ? 65 : 20)));
      string(out, random.nextBoolean() ? Long.toString(random.nextLong(1L << 32)) : text(random.nextInt(256)));
    }
    return out.toByteArray();
  }

  private byte[] withCopies(byte[] base) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(base.length * 2);
    out.writeBytes(base);
    int copies = 1 + random.nextInt(6);
    for (int i = 0; i < copies && out.size() < Level6Deflater.MAX_INPUT - 300; i++) {
      byte[] sofar = out.toByteArray();
      int from = random.nextInt(sofar.length);
      int len = Math.min(sofar.length - from, 1 + random.nextInt(random.nextBoolean() ? 20 : 300));
      out.write(sofar, from, len);
      if (random.nextBoolean()) {
        out.writeBytes(randomBytes(random.nextInt(8)));
      }
    }
    return out.toByteArray();
  }

  private byte[] smallAlphabet(int len) {
    int k = 1 + random.nextInt(random.nextBoolean() ? 4 : 40);
    int base = random.nextInt(256 - k);
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) (base + random.nextInt(k));
    }
    return b;
  }

  /** Symbol counts in Fibonacci proportion, shuffled: Huffman depths beyond zlib's limits. */
  private byte[] fibonacciSkewed() {
    int symbols = 10 + random.nextInt(8);
    int[] counts = new int[symbols];
    counts[0] = 1;
    counts[1] = 1 + random.nextInt(2);
    int total = counts[0] + counts[1];
    for (int i = 2; i < symbols; i++) {
      counts[i] = counts[i - 1] + counts[i - 2];
      total += counts[i];
    }
    if (total > Level6Deflater.MAX_INPUT) {
      return fibonacciSkewed();
    }
    byte[] b = new byte[total];
    int n = 0;
    int first = random.nextInt(256 - symbols);
    for (int i = 0; i < symbols; i++) {
      for (int c = 0; c < counts[i]; c++) {
        b[n++] = (byte) (first + i);
      }
    }
    for (int i = b.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      byte t = b[i];
      b[i] = b[j];
      b[j] = t;
    }
    return b;
  }

  private byte[] randomBytes(int len) {
    byte[] b = new byte[len];
    random.nextBytes(b);
    return b;
  }

  private byte[] hex(int len) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) "0123456789abcdef".charAt(random.nextInt(16));
    }
    return b;
  }

  private String text(int len) {
    StringBuilder sb = new StringBuilder(len);
    int alphabet = random.nextBoolean() ? 10 : CHANNEL_CHARS.length();
    for (int i = 0; i < len; i++) {
      sb.append(CHANNEL_CHARS.charAt(random.nextInt(alphabet) + (alphabet == 10 ? 52 : 0)));
    }
    return sb.toString();
  }

  private static void string(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    u16(out, b.length);
    out.writeBytes(b);
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
  }

  private static void u32(ByteArrayOutputStream out, long v) {
    u16(out, (int) v & 0xffff);
    u16(out, (int) (v >>> 16));
  }
}
