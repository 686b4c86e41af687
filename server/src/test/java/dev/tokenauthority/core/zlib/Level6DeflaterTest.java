package dev.tokenauthority.core.zlib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * Differential test: {@link Level6Deflater} must emit exactly what {@link Deflater} at the default
 * level emits. The suite runs a sample; the long run (millions of inputs, see docs/benchmarks.md)
 * is the same test with {@code -Dlevel6.cases=N -Dlevel6.seed=S}.
 *
 * <p>Why a plain common-prefix count may replace zlib's quick test in longest_match: zlib reads
 * window bytes past the input's end there, but a candidate can only gain from them when its
 * length already reaches the lookahead, and then nice_match (capped at the lookahead) stops the
 * search at that candidate in both; when the previous match is already that long, the previous
 * match is emitted whatever the search found. Every case below exercises that path near the end.
 */
class Level6DeflaterTest {
  private static final int CASES = Integer.getInteger("level6.cases", 3000);
  private static final long SEED = Long.getLong("level6.seed", 0x5eed_0007L);

  private final Level6Deflater ours = new Level6Deflater();
  private final Deflater zlib = new Deflater();

  @Test
  void tokenShapedInputsCompressExactlyAsZlib() {
    SplittableRandom random = new SplittableRandom(SEED);
    TokenShapedInputs inputs = new TokenShapedInputs(random);
    int[] blockTypes = new int[3];
    for (int i = 0; i < CASES; i++) {
      byte[] input = inputs.next();
      byte[] expected = zlibDeflate(input);
      byte[] actual = ourDeflate(input);
      if (!Arrays.equals(expected, actual)) {
        throw new AssertionError("case " + i + " (seed " + SEED + ") differs for input "
            + HexFormat.of().formatHex(input) + "\n zlib: " + HexFormat.of().formatHex(expected)
            + "\n ours: " + HexFormat.of().formatHex(actual));
      }
      blockTypes[(expected[2] >> 1) & 3]++;
    }
    // The sample must reach every block type zlib can choose, or it proves less than it claims.
    assertTrue(CASES < 1000 || (blockTypes[0] > 0 && blockTypes[1] > 0 && blockTypes[2] > 0),
        () -> "block types stored/fixed/dynamic: " + Arrays.toString(blockTypes));
  }

  @Test
  void edgeInputsCompressExactlyAsZlib() {
    byte[] max = new byte[Level6Deflater.MAX_INPUT];
    new SplittableRandom(1).nextBytes(max);
    byte[][] cases = {
      new byte[0], {0}, {1, 2}, {7, 7, 7}, new byte[300], new byte[Level6Deflater.MAX_INPUT], max,
      repeat("abc", 1365), repeat("ab", 2048), repeat("0123456789abcdef", 256),
    };
    for (byte[] input : cases) {
      assertArrayEquals(zlibDeflate(input), ourDeflate(input), () -> "length " + input.length);
    }
  }

  /**
   * Every input of up to 11 bytes over 2 letters and up to 7 over 3: the lazy matcher's states
   * meet the input's end in every order (a match or a waiting literal at the last positions, chains
   * that start in the last two positions, which have no hash of their own), where LZ77's
   * two passes and its tight literal loop hand over to each other.
   */
  @Test
  void everyShortInputOverSmallAlphabetsCompressesExactlyAsZlib() {
    for (int[] shape : new int[][] {{2, 11}, {3, 7}}) {
      int letters = shape[0];
      for (int len = 0; len <= shape[1]; len++) {
        int combinations = (int) Math.pow(letters, len);
        for (int n = 0; n < combinations; n++) {
          byte[] input = new byte[len];
          for (int i = 0, rest = n; i < len; i++, rest /= letters) {
            input[i] = (byte) ('a' + rest % letters);
          }
          assertArrayEquals(zlibDeflate(input), ourDeflate(input), () -> HexFormat.of().formatHex(input));
        }
      }
    }
  }

  /**
   * Callers pass reused buffers longer than the input: the bytes past it (here a copy of the
   * input's own tail, so matches would run on into them) must not change the output; the match
   * search compares 8 bytes at a time and may read them.
   */
  @Test
  void bytesPastTheInputDoNotMatter() {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    TokenShapedInputs inputs = new TokenShapedInputs(random);
    for (int i = 0; i < CASES / 3; i++) {
      byte[] input = i % 3 == 0 ? repeat("ab", 1 + random.nextInt(40)) : inputs.next();
      byte[] padded = Arrays.copyOf(input, input.length + 1 + random.nextInt(300));
      for (int p = input.length; p < padded.length; p++) {
        padded[p] = input.length == 0 ? 0 : input[Math.max(0, input.length - 2) + (p - input.length) % Math.min(2, input.length)];
      }
      byte[] out = new byte[Level6Deflater.maxOutput(input.length)];
      int n = ours.deflate(padded, input.length, out);
      int c = i;
      assertArrayEquals(zlibDeflate(input), Arrays.copyOf(out, n), () -> "case " + c + ": " + HexFormat.of().formatHex(input));
    }
  }

  @Test
  void outputInflatesBack() throws Exception {
    byte[] input = new TokenShapedInputs(new SplittableRandom(7)).next();
    byte[] compressed = ourDeflate(input);
    Inflater inflater = new Inflater();
    inflater.setInput(compressed);
    byte[] back = new byte[input.length];
    assertEquals(input.length, inflater.inflate(back));
    assertTrue(inflater.finished());
    assertArrayEquals(input, back);
  }

  @Test
  void refusesInputsAboveTheBound() {
    byte[] big = new byte[Level6Deflater.MAX_INPUT + 1];
    assertThrows(IllegalArgumentException.class,
        () -> ours.deflate(big, big.length, new byte[Level6Deflater.maxOutput(big.length)]));
  }

  private byte[] ourDeflate(byte[] input) {
    byte[] out = new byte[Level6Deflater.maxOutput(input.length)];
    int n = ours.deflate(input, input.length, out);
    return Arrays.copyOf(out, n);
  }

  private byte[] zlibDeflate(byte[] input) {
    zlib.reset();
    zlib.setInput(input);
    zlib.finish();
    byte[] out = new byte[input.length * 2 + 64];
    int n = 0;
    while (!zlib.finished()) {
      n += zlib.deflate(out, n, out.length - n);
    }
    return Arrays.copyOf(out, n);
  }

  private static byte[] repeat(String s, int times) {
    return s.repeat(times).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
