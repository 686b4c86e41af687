package dev.tokenauthority.core.zlib;

import java.util.Arrays;

/**
 * A cheap lower bound on the size zlib computes for a dynamic block ({@code opt_len} in trees.c),
 * from the symbol counts alone, without building any tree.
 *
 * <p>Why: zlib picks the block type by comparing the stored, fixed and dynamic sizes, so it builds
 * all three Huffman trees even when a fixed block wins, which it does for nearly every token body.
 * Building them the way zlib does (its heap order decides which of equally frequent symbols get
 * the longer codes, and so the tree header) was most of our deflate time. When this bound already
 * shows that the dynamic block cannot be smaller than the fixed one (or than a stored one), the
 * choice is exact without the trees; otherwise {@link DeflateBlock} builds them as zlib does.
 *
 * <p>The bound adds up parts each provably no larger than zlib's:
 * <ul>
 *   <li>the distance tree exactly: it has a handful of codes, so {@link DeflateBlock} builds it as
 *       zlib does and passes its cost and its bit-length symbols;
 *   <li>the literal/length data: the Shannon entropy of the counts (no prefix code does better;
 *       zlib's depth limit can only add), plus the exact extra bits;
 *   <li>the tree header's 14 bits of counts, and 3 bits per bit-length code up to the last one
 *       used in the header's order: at least those the distance tree uses, and for k literal codes
 *       some length of at least ceil(log2 k) and (a complete tree) some of at most floor(log2 k);
 *   <li>the literal/length code lengths sent with the bit-length code: which symbols have a length
 *       is known, so each run of zero lengths is sent exactly as scan_tree sends it (zero literals,
 *       REPZ_3_10 + 3 bits, REPZ_11_138 + 7 bits); each stretch of non-zero lengths needs at least
 *       {@link #MIN_SYMBOLS} symbols whatever the lengths are; all these symbols, with the
 *       non-zero-length ones counted as one symbol but one (the tree surely has two different
 *       lengths), cost at least an optimal prefix code on those groups ({@link PrefixCode}); the
 *       lengths shorter than any literal/length code can be ({@link #minLength}) are groups of
 *       their own.
 * </ul>
 *
 * <p>For a 141-byte RTC token with a random app id the bound falls ~10-150 bits short of zlib's
 * real dynamic size (~1170 bits against a fixed block of ~1036): the literal data's entropy is
 * within ~3 bits of the Huffman tree's cost, the slack is the header, where the real code lengths
 * (4 to 7 bits, 2-3 bits each to send) are unknown without the tree. About 96 % of the
 * benchmark's bodies are decided without the literal tree (60 % with the groups' entropy instead
 * of a prefix code, 84 % with one group for all lengths).
 */
final class DynamicBlockBound {
  /** Entry f: f·log2(f); counts never exceed the input bound plus a few. */
  private static final double[] F_LOG2_F = new double[Level6Deflater.MAX_INPUT + 512];
  /** Entry r: the fewest bit-length symbols scan_tree can emit for r non-zero lengths in a row. */
  private static final int[] MIN_SYMBOLS = new int[600];

  static {
    for (int f = 2; f < F_LOG2_F.length; f++) {
      F_LOG2_F[f] = f * (Math.log(f) / Math.log(2));
    }
    // A stretch splits into runs of equal lengths (any split is possible: neighbouring runs just
    // need different lengths); a run of m costs runSymbols(m), so take the cheapest split.
    for (int r = 1; r < MIN_SYMBOLS.length; r++) {
      int best = Integer.MAX_VALUE;
      for (int m = 1; m <= r; m++) {
        best = Math.min(best, runSymbols(m) + MIN_SYMBOLS[r - m]);
      }
      MIN_SYMBOLS[r] = best;
    }
  }

  DynamicBlockBound() {}

  /**
   * scan_tree on a run of m equal non-zero lengths after a different one: up to 7 first (under 4
   * as single lengths, else the length and one REP_3_6), then groups of up to 6 (under 3 as single
   * lengths, else one REP_3_6).
   */
  private static int runSymbols(int m) {
    if (m <= 3) {
      return m;
    }
    if (m <= 7) {
      return 2;
    }
    int rest = m - 7;
    int tail = rest % 6;
    return 2 + rest / 6 + (tail == 0 ? 0 : tail < 3 ? tail : 1);
  }

  /** Running totals of the bit-length symbols while the two trees are scanned. */
  private int zeroLiterals;
  private int repz3to10;
  private int repz11to138;
  private int lengthSymbols;
  private int longStretchSymbols;
  /** The stretches of 4 or more non-zero lengths [start, end): each takes at least 5 codes. */
  private final int[] longStretchStart = new int[64];
  private final int[] longStretchEnd = new int[64];
  private int longStretches;
  private final int[] longByFreq = new int[LiteralTreeShape.MAX_TOTAL];
  private final int[] outsideLong = new int[16];
  private final LiteralTreeShape shape = new LiteralTreeShape();
  private final PrefixCode smallCode = new PrefixCode();

  /** Entry s: the position of bit-length symbol s in the order the header sends their lengths. */
  private static final int[] BL_INDEX = new int[19];

  static {
    int[] order = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    for (int i = 0; i < order.length; i++) {
      BL_INDEX[order[i]] = i;
    }
  }

  /**
   * A lower bound in bits on zlib's opt_len. {@code usedLit}: bit n set iff literal/length symbol
   * n occurs (the end-of-block symbol always does, and at least one more); {@code litEntropy}: the
   * entropy in bits of the literal/length counts, which sum to {@code litTotal}; {@code
   * litExtraBits}: the length codes' extra bits; {@code distBits}: the distance tree's exact
   * opt_len share (built as zlib builds it) and {@code distBl} its exact bit-length symbol counts.
   */
  double lowerBound(long[] usedLit, double litEntropy, long litTotal, int maxLitCount, long litExtraBits, long distBits,
      int[] distBl) {
    zeroLiterals = 0;
    repz3to10 = 0;
    repz11to138 = 0;
    lengthSymbols = 0;
    longStretchSymbols = 0;
    scanRuns(usedLit, highestBit(usedLit));
    int k = 0;
    for (long w : usedLit) {
      k += Long.bitCount(w);
    }
    // zlib's literal tree is a Huffman tree (optimal) when it has k >= 2 codes and was not capped
    // at 15 bits (a total below 2584).
    boolean huffman = k >= 2 && litTotal < LiteralTreeShape.MAX_TOTAL;
    int minLitLength = huffman ? minLength(litTotal, maxLitCount) : 1;
    // Bit-length symbols, grouped: zeros, REPZ_3_10, REPZ_11_138, each length shorter than every
    // literal/length code (so only the distance tree sends it, an exact count), and every other
    // symbol (the other lengths and REP_3_6) as one.
    int zeros = zeroLiterals + distBl[0];
    int rep3 = repz3to10 + distBl[17];
    int rep11 = repz11to138 + distBl[18];
    int others = lengthSymbols + distBl[16];
    PrefixCode code = smallCode.clear().add(zeros).add(rep3).add(rep11);
    for (int s = 1; s <= 15; s++) {
      if (s < minLitLength) {
        code.add(distBl[s]);
      } else {
        others += distBl[s];
      }
    }
    // The bit-length codes cost at least an optimal prefix code on these groups (see
    // PrefixCode). When the literal tree surely has two different code lengths (k not a power of
    // two: a complete tree), one symbol of one of them is a group of its own.
    boolean twoLengths = huffman && (k & (k - 1)) != 0 && others >= 2;
    long blBits = twoLengths ? code.add(others - 1).add(1).cost() : code.add(others).cost();
    // The header sends 3 bits per bit-length code up to the last used one in its order.
    int last = 3;
    for (int s = 0; s < distBl.length; s++) {
      if (distBl[s] != 0) {
        last = Math.max(last, BL_INDEX[s]);
      }
    }
    if (zeros != 0) {
      last = Math.max(last, BL_INDEX[0]);
    }
    // k codes need some length >= ceil(log2 k); a complete tree (any Huffman tree of k >= 2 leaves
    // that zlib did not have to cap at 15 bits, which needs a total count of at least F(18) =
    // 2584) has some length <= floor(log2 k). Each such length is a used bit-length symbol.
    // Neither is shorter than minLitLength.
    last = Math.max(last, firstInOrder(Math.max(minLitLength, 32 - Integer.numberOfLeadingZeros(k - 1)), 15));
    if (litTotal < 2584) {
      last = Math.max(last, firstInOrder(minLitLength, 31 - Integer.numberOfLeadingZeros(k)));
    }
    return litExtraBits + litEntropy + distBits + blBits
        + 2.0 * distBl[16] + 3.0 * rep3 + 7.0 * rep11 + 3 * (last + 1) + 5 + 5 + 4
        - 1e-3; // floating-point slack: the sums above are exact to far better than this
  }

  /**
   * A tighter lower bound on opt_len from the literal/length tree's shape ({@link
   * LiteralTreeShape}): its cost exactly, which lengths occur (so the header's count of bit-length
   * codes exactly), and for each length ℓ a count of symbols that surely get ℓ outside the
   * stretches of 4 or more non-zero lengths, each sent as one bit-length symbol ℓ. The stretches
   * send at least their {@link #MIN_SYMBOLS} symbols, of lengths or REP_3_6; wherever those fall,
   * the bit-length symbols cost at least the entropy of the counts, which is concave in them, so
   * the least it can be is with all of them on one symbol: the most frequent length (it grows
   * the entropy least) or REP_3_6 (2 extra bits each). Returns -1 when the shape is not
   * determined or the block is too large or too small for it; then {@link #lowerBound} applies.
   * Arguments as there, plus the literal/length counts {@code litFreq}; must follow {@link
   * #lowerBound} for the same block (it reuses that scan of the runs).
   */
  double lowerBoundFromShape(int[] litFreq, long[] usedLit, long litTotal, long litExtraBits, long distBits, int[] distBl) {
    int k = 0;
    for (long w : usedLit) {
      k += Long.bitCount(w);
    }
    if (k < 2 || litTotal >= LiteralTreeShape.MAX_TOTAL) {
      return -1;
    }
    // The runs as lowerBound scanned them; the symbols in long stretches counted by frequency.
    for (int i = 0; i < longStretches; i++) {
      for (int n = longStretchStart[i]; n < longStretchEnd[i]; n++) {
        longByFreq[litFreq[n]]++;
      }
    }
    Arrays.fill(outsideLong, 0);
    if (!shape.compute(litFreq, usedLit, k, longByFreq, outsideLong)) {
      return -1;
    }
    int rep3 = repz3to10 + distBl[17];
    int rep11 = repz11to138 + distBl[18];
    int rep6 = distBl[16];
    long total = zeroLiterals + distBl[0] + rep3 + rep11 + rep6;
    double flogs = flog(zeroLiterals + distBl[0]) + flog(rep3) + flog(rep11) + flog(rep6);
    int most = 0;
    for (int len = 1; len <= 15; len++) {
      int c = distBl[len] + outsideLong[len];
      total += c;
      flogs += flog(c);
      most = Math.max(most, c);
    }
    int m = longStretchSymbols;
    double onLength = flog(most) - flog(most + m);
    double onRepeat = flog(rep6) - flog(rep6 + m) + 2.0 * m;
    double blBits = flog(total + m) - flogs + Math.min(onLength, onRepeat);
    // 3 bits per bit-length code up to the last used one in the header's order.
    int last = 3;
    for (int s = 0; s < distBl.length; s++) {
      if (distBl[s] != 0 || (s < 16 && (shape.lengthsUsed & (1 << s)) != 0)) {
        last = Math.max(last, BL_INDEX[s]);
      }
    }
    return shape.cost + litExtraBits + distBits + blBits
        + 2.0 * rep6 + 3.0 * rep3 + 7.0 * rep11 + 3 * (last + 1) + 5 + 5 + 4
        - 1e-3; // floating-point slack, as in lowerBound
  }

  /**
   * The shortest code length a Huffman tree over counts summing to {@code total}, the largest
   * {@code maxCount}, can give: some d >= 1 with total <= 2^(d+1) · maxCount. Why: in an optimal
   * tree no node deeper than a leaf x outweighs x (swapping them would lower the cost), so if x is
   * at depth d, the nodes at depth d + 1 weigh at most maxCount each, as do the leaves at depth d
   * or less; together they hold every leaf once and number at most 2^(d+1).
   */
  static int minLength(long total, int maxCount) {
    int d = 1;
    while ((long) maxCount << (d + 1) < total) {
      d++;
    }
    return d;
  }

  /** The earliest header position among the lengths {@code from..to}. */
  private static int firstInOrder(int from, int to) {
    int first = Integer.MAX_VALUE;
    for (int len = Math.max(from, 1); len <= to; len++) {
      first = Math.min(first, BL_INDEX[len]);
    }
    return first == Integer.MAX_VALUE ? 0 : first;
  }

  /**
   * scan_tree's symbols for the lengths of codes 0..maxCode, where bit n of {@code used} = has a
   * length; also notes the stretches of 4 or more non-zero lengths (only there can REP_3_6 stand
   * for lengths) and their fewest symbols, for {@link #lowerBoundFromShape}.
   *
   * <p>Counted on whole words rather than run by run (a token body has ~25 zero runs and ~45 runs
   * of used codes, each a data-dependent branch): a run of 1-3 used codes costs its count, so only
   * the few stretches of 4 or more are visited; a zero run of 1-2 costs its zeros, one of 3-10 or
   * 11-138 one symbol, counted by their starts. A zero run longer than 138 is split into pieces;
   * it spans a whole zero word, and then the run-by-run scan below does it.
   */
  private void scanRuns(long[] used, int maxCode) {
    int top = maxCode >>> 6;
    for (int i = 0; i < top; i++) {
      if (used[i] == 0) {
        scanRunByRun(used, maxCode);
        return;
      }
    }
    longStretches = 0;
    int lengths = 0;
    int zeroSingles = 0;
    int runs3 = 0;
    int runs11 = 0;
    long prevU = 0; // position -1 is neither used nor a zero: runs of either at 0 start there
    long prevZ = 0;
    for (int i = 0; i <= top; i++) {
      long u = used[i];
      long nextU = i < top ? used[i + 1] : 0;
      // Zeros only up to maxCode: the words above it hold none, the top word's high bits neither.
      long z = i < top ? ~u : ~u & (-1L >>> (63 - (maxCode & 63)));
      long nextZ = i + 1 < top ? ~nextU : i + 1 == top ? ~nextU & (-1L >>> (63 - (maxCode & 63))) : 0;
      lengths += Long.bitCount(u);
      // Stretches of 4 or more used codes: where 4 in a row start after an unused code.
      long four = u & (u >>> 1 | nextU << 63) & (u >>> 2 | nextU << 62) & (u >>> 3 | nextU << 61);
      for (long starts = four & ~(u << 1 | prevU >>> 63); starts != 0; starts &= starts - 1) {
        int start = (i << 6) + Long.numberOfTrailingZeros(starts);
        int end = nextClear(used, start);
        int fewest = MIN_SYMBOLS[end - start];
        lengths -= end - start - fewest;
        longStretchSymbols += fewest;
        longStretchStart[longStretches] = start;
        longStretchEnd[longStretches++] = end;
      }
      long z1 = z >>> 1 | nextZ << 63;
      long z2 = z >>> 2 | nextZ << 62;
      long runStart = z & ~(z << 1 | prevZ >>> 63);
      // Zero runs of 1 (start, next used) and of 2 (start, next zero, the one after used).
      zeroSingles += Long.bitCount(runStart & ~z1) + 2 * Long.bitCount(runStart & z1 & ~z2);
      long three = runStart & z1 & z2;
      runs3 += Long.bitCount(three);
      long eleven = three;
      for (int j = 3; j <= 10; j++) {
        eleven &= z >>> j | nextZ << (64 - j);
      }
      runs11 += Long.bitCount(eleven);
      prevU = u;
      prevZ = z;
    }
    lengthSymbols += lengths;
    zeroLiterals += zeroSingles;
    repz3to10 += runs3 - runs11;
    repz11to138 += runs11;
  }

  /**
   * For tests: what {@link #scanRuns} (or, if {@code runByRun}, {@link #scanRunByRun}) counts for
   * {@code used} (some bit set): zero literals, REPZ_3_10, REPZ_11_138, length symbols, long
   * stretches' symbols, then each long stretch's start and end.
   */
  int[] runCounts(long[] used, boolean runByRun) {
    zeroLiterals = 0;
    repz3to10 = 0;
    repz11to138 = 0;
    lengthSymbols = 0;
    longStretchSymbols = 0;
    if (runByRun) {
      scanRunByRun(used, highestBit(used));
    } else {
      scanRuns(used, highestBit(used));
    }
    int[] counts = new int[5 + 2 * longStretches];
    counts[0] = zeroLiterals;
    counts[1] = repz3to10;
    counts[2] = repz11to138;
    counts[3] = lengthSymbols;
    counts[4] = longStretchSymbols;
    for (int i = 0; i < longStretches; i++) {
      counts[5 + 2 * i] = longStretchStart[i];
      counts[6 + 2 * i] = longStretchEnd[i];
    }
    return counts;
  }

  /** {@link #scanRuns} one run at a time: for any bitmap, zero runs past 138 included. */
  private void scanRunByRun(long[] used, int maxCode) {
    int pos = 0;
    longStretches = 0;
    while (pos <= maxCode) {
      int start = nextSet(used, pos);
      if (start > pos) {
        zeroRun(start - pos);
      }
      int end = nextClear(used, start);
      int fewest = MIN_SYMBOLS[end - start];
      lengthSymbols += fewest;
      if (end - start >= 4) {
        longStretchSymbols += fewest;
        longStretchStart[longStretches] = start;
        longStretchEnd[longStretches++] = end;
      }
      pos = end;
    }
  }

  /** scan_tree on zeros: pieces of up to 138, under 3 as zero literals. */
  private void zeroRun(int zeros) {
    while (zeros > 0) {
      int c = Math.min(zeros, 138);
      if (c < 3) {
        zeroLiterals += c;
      } else if (c <= 10) {
        repz3to10++;
      } else {
        repz11to138++;
      }
      zeros -= c;
    }
  }

  private static int highestBit(long[] words) {
    for (int i = words.length - 1; i >= 0; i--) {
      if (words[i] != 0) {
        return (i << 6) + 63 - Long.numberOfLeadingZeros(words[i]);
      }
    }
    return -1;
  }

  /** The first set bit at or after {@code from}; one must exist. */
  private static int nextSet(long[] words, int from) {
    int i = from >>> 6;
    long word = words[i] & (-1L << from);
    while (word == 0) {
      word = words[++i];
    }
    return (i << 6) + Long.numberOfTrailingZeros(word);
  }

  /** The first clear bit at or after {@code from} (past the last word if none). */
  private static int nextClear(long[] words, int from) {
    int i = from >>> 6;
    long word = ~words[i] & (-1L << from);
    while (word == 0) {
      if (++i == words.length) {
        return i << 6;
      }
      word = ~words[i];
    }
    return (i << 6) + Long.numberOfTrailingZeros(word);
  }

  /** f·log2(f). */
  static double flog(long f) {
    return f < F_LOG2_F.length ? F_LOG2_F[(int) f] : f * (Math.log(f) / Math.log(2));
  }
}
