package dev.tokenauthority.core.zlib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A zlib (RFC 1950) stream of a small input, byte for byte what {@code new
 * java.util.zip.Deflater()} (zlib 1.2.x, level 6, 32 KiB window, memLevel 8) emits for the same
 * input given at once with finish().
 *
 * <p>Why it exists: a reused {@code Deflater} runs zlib's {@code deflateReset}, which clears a
 * 64 KiB hash table for every token; for a ~150-byte AccessToken2 body that reset and the JNI
 * round trip were 45–53 % of a 007 build. This class reproduces zlib's algorithm for inputs of at
 * most {@link #MAX_INPUT} bytes — one final block, no window slide, no mid-stream flush — over a
 * hash table tagged by a generation number, so nothing is cleared per call, and it skips the
 * Huffman trees whenever a lower bound proves zlib would not pick a dynamic block ({@link
 * DynamicBlockBound}). Written from the
 * zlib algorithm (deflate.c's deflate_slow/longest_match at level 6, trees.c's block choice and
 * tree construction); {@code Level6DeflaterTest} and the bench's long differential run prove it
 * against {@code Deflater}. Above the bound, use {@code Deflater}.
 *
 * <p>One instance per thread: not thread-safe, and it reuses its buffers.
 */
public final class Level6Deflater {
  /**
   * Inputs up to this size stay inside every zlib limit that would change the output shape: far
   * below the 16383 symbols that force a block flush, the 4096-byte TOO_FAR distance, and the
   * 32 KiB window (so no slide and every position stays reachable).
   */
  public static final int MAX_INPUT = 4096;

  // zlib's configuration_table entry for level 6.
  private static final int GOOD_LENGTH = 8;
  private static final int MAX_LAZY = 16;
  private static final int NICE_LENGTH = 128;
  private static final int MAX_CHAIN = 128;

  private static final int MIN_MATCH = 3;
  private static final int MAX_MATCH = 258;
  private static final int TOO_FAR = 4096;

  // zlib: hash_bits = memLevel + 7 = 15, hash_shift = (15 + 3 - 1) / 3 = 5.
  private static final int HASH_SHIFT = 5;
  private static final int HASH_MASK = (1 << 15) - 1;

  /*
   * zlib's head[] (one entry per 15-bit hash), each entry tagged by the call that wrote it:
   * generation << POS_BITS | position. A stale entry reads as empty, so nothing is cleared per
   * call (zlib's deflateReset clears all 64 KiB of its table; here the whole table is cleared once
   * every ~500k calls). Indexed directly by the hash: a smaller open-addressed table kept in L1
   * measured slower (its probe is a chain of dependent loads).
   */
  private static final int POS_BITS = 12; // positions < MAX_INPUT = 2^12
  private static final int POS_MASK = (1 << POS_BITS) - 1;
  private static final int MAX_GENERATION = (1 << (31 - POS_BITS)) - 1;

  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final int[] head = new int[HASH_MASK + 1];
  private int generation;
  /** zlib's prev[]: the previous position with the same hash; 0 (NIL) ends the chain. */
  private final int[] prevSameHash = new int[MAX_INPUT];

  private final DeflateBlock block = new DeflateBlock(MAX_INPUT);
  private byte[] in;
  private int matchStart;

  /**
   * Writes the zlib stream of {@code in[0, len)} into {@code out} and returns its length. {@code
   * out} must hold {@link #maxOutput(int)} bytes.
   */
  public int deflate(byte[] in, int len, byte[] out) {
    if (len < 0 || len > MAX_INPUT || len > in.length) {
      throw new IllegalArgumentException("input length " + len + " outside 0.." + MAX_INPUT);
    }
    if (out.length < maxOutput(len)) {
      throw new IllegalArgumentException("output buffer too small");
    }
    nextGeneration();
    this.in = in;
    block.reset();
    lz77(len);
    out[0] = 0x78; // CMF: deflate, 32 KiB window
    out[1] = (byte) 0x9c; // FLG: default level, check bits
    int n = block.finish(in, len, out, 2);
    int adler = adler32(in, len);
    out[n++] = (byte) (adler >>> 24);
    out[n++] = (byte) (adler >>> 16);
    out[n++] = (byte) (adler >>> 8);
    out[n++] = (byte) adler;
    this.in = null;
    return n;
  }

  /** For tests: runs LZ77 over {@code in[0, len)} and returns the block holding the tallied symbols. */
  DeflateBlock tallied(byte[] in, int len) {
    nextGeneration();
    this.in = in;
    block.reset();
    lz77(len);
    this.in = null;
    return block;
  }

  /** The largest stream {@link #deflate} can write for {@code len} input bytes (a stored block). */
  public static int maxOutput(int len) {
    return 2 + 5 + len + 4;
  }

  /**
   * zlib's deflate_slow at level 6, run over the whole input with flush = Z_FINISH, in two passes:
   * first every position's hash chain link, then the lazy matching that walks those chains.
   *
   * <p>Why two passes give zlib's chains: deflate_slow inserts every position with 3 bytes ahead
   * (level 6 has no max_insert_length cut), strictly in order, and a position's chain only links
   * earlier positions; so when matching reaches a position, its chain is the same whether the
   * later positions are already inserted or not. The split keeps each loop tight: the inserts no
   * longer wait on the matcher's branches, and a hash is computed from its 3 bytes directly (zlib's
   * rolling UPDATE_HASH keeps exactly those: 15 bits, shift 5), so no iteration waits on the last.
   */
  private void lz77(int len) {
    byte[] in = this.in;
    insertAll(in, len);
    int[] prev = prevSameHash;
    int[] syms = block.symbols();
    int symbols = 0;
    int insertLimit = len - MIN_MATCH; // the last position with 3 bytes ahead
    int strstart = 0;
    int matchLength = MIN_MATCH - 1;
    int matchStart = 0;
    boolean matchAvailable = false;
    while (strstart < len) {
      if (matchAvailable && matchLength < MIN_MATCH) {
        // The common state over the body's random half: the previous byte waits as a literal and
        // this position starts no chain, so the general step below would only emit that literal.
        // It stops by insertLimit + 1 = len - 2 at the latest, so the general step follows.
        while (strstart <= insertLimit && prev[strstart] == 0) {
          syms[symbols++] = in[strstart - 1] & 0xff;
          strstart++;
        }
      }
      int hashHead = strstart <= insertLimit ? prev[strstart] : 0;
      int prevLength = matchLength;
      int prevMatch = matchStart;
      matchLength = MIN_MATCH - 1;
      if (hashHead != 0 && prevLength < MAX_LAZY) {
        matchLength = longestMatch(hashHead, strstart, len - strstart, prevLength);
        matchStart = this.matchStart;
        if (matchLength == MIN_MATCH && strstart - matchStart > TOO_FAR) {
          matchLength = MIN_MATCH - 1;
        }
      }
      if (prevLength >= MIN_MATCH && matchLength <= prevLength) {
        // The previous position's match wins: emit it and skip the positions it covers (already
        // inserted by insertAll, as zlib inserts them here).
        syms[symbols++] = (strstart - 1 - prevMatch) << 8 | (prevLength - MIN_MATCH);
        strstart += prevLength - 1;
        matchAvailable = false;
        matchLength = MIN_MATCH - 1;
      } else if (matchAvailable) {
        syms[symbols++] = in[strstart - 1] & 0xff;
        strstart++;
      } else {
        matchAvailable = true;
        strstart++;
      }
    }
    if (matchAvailable) {
      syms[symbols++] = in[strstart - 1] & 0xff;
    }
    block.countSymbols(symbols);
  }

  /**
   * zlib's INSERT_STRING for positions 0..len-3 in order: each position's previous position with
   * the same hash (0, NIL, if none in this call) into prevSameHash, and the position into head.
   */
  private void insertAll(byte[] in, int len) {
    int[] head = this.head;
    int[] prev = prevSameHash;
    int generation = this.generation;
    int tag = generation << POS_BITS;
    for (int pos = 0; pos <= len - MIN_MATCH; pos++) {
      int h = ((in[pos] & 0xff) << 2 * HASH_SHIFT ^ (in[pos + 1] & 0xff) << HASH_SHIFT ^ (in[pos + 2] & 0xff)) & HASH_MASK;
      int entry = head[h];
      prev[pos] = (entry >>> POS_BITS) == generation ? entry & POS_MASK : 0;
      head[h] = tag | pos;
    }
  }

  /**
   * zlib's longest_match: walks the hash chain from {@code cur}, at most 128 candidates (32 once
   * the previous match is already good), keeping the first longest (its start in matchStart);
   * returns at most lookahead.
   */
  private int longestMatch(int cur, int strstart, int lookahead, int prevLength) {
    byte[] in = this.in;
    int chain = prevLength >= GOOD_LENGTH ? MAX_CHAIN >> 2 : MAX_CHAIN;
    int nice = Math.min(NICE_LENGTH, lookahead);
    int limit = Math.min(MAX_MATCH, lookahead);
    int bestLen = prevLength;
    do {
      // zlib's quick test (bytes best_len and best_len-1) only skips candidates that cannot be
      // longer; past the input's end its result cannot change the outcome (see the notes in
      // Level6DeflaterTest), so a plain common-prefix count decides the same.
      int len = commonPrefix(in, cur, strstart, limit);
      if (len > bestLen) {
        matchStart = cur;
        bestLen = len;
        if (len >= nice) {
          break;
        }
      }
      cur = prevSameHash[cur];
    } while (cur > 0 && --chain != 0);
    return Math.min(bestLen, lookahead);
  }

  /**
   * The length of the common prefix of in[a..] and in[b..] (a < b), at most {@code limit}; 8 bytes
   * at a time while 8 bytes past b are inside the array (a match is mostly decided by its first 8).
   */
  private static int commonPrefix(byte[] in, int a, int b, int limit) {
    int len = 0;
    int wordLimit = Math.min(limit, in.length - b - 7);
    while (len < wordLimit) {
      long diff = (long) LONG_LE.get(in, a + len) ^ (long) LONG_LE.get(in, b + len);
      if (diff != 0) {
        return Math.min(limit, len + (Long.numberOfTrailingZeros(diff) >>> 3));
      }
      len += 8;
    }
    len = Math.min(len, limit);
    while (len < limit && in[a + len] == in[b + len]) {
      len++;
    }
    return len;
  }

  private void nextGeneration() {
    if (++generation > MAX_GENERATION) {
      Arrays.fill(head, 0);
      generation = 1;
    }
  }

  private static int adler32(byte[] in, int len) {
    // len <= MAX_INPUT keeps a below 2^21 and b below 2^33, so one modulo at the end suffices.
    int a = 1;
    long b = 0;
    for (int i = 0; i < len; i++) {
      a += in[i] & 0xff;
      b += a;
    }
    return ((int) (b % 65521) << 16) | (a % 65521);
  }
}
