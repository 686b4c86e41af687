package dev.tokenauthority.core.zlib;

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
 *   <li>the literal/length and distance data: the Shannon entropy of each tree's counts (no prefix
 *       code does better; zlib's depth limit can only add), plus the exact extra bits;
 *   <li>the tree header's 14 bits of counts and at least 4 × 3 bits of bit-length code lengths;
 *   <li>the code lengths sent with the bit-length code: which symbols have a length (count &gt; 0,
 *       plus the one or two a too-small tree gets forced in) is known, so each run of zero lengths
 *       is sent exactly as scan_tree sends it (zero literals, REPZ_3_10 + 3 bits, REPZ_11_138 + 7
 *       bits); each stretch of non-zero lengths needs at least {@link #MIN_SYMBOLS} symbols, whatever
 *       the lengths are; and these symbols, with every non-zero-length symbol counted as one, cost
 *       at least their entropy.
 * </ul>
 */
final class DynamicBlockBound {
  /** Entry f: f·log2(f); counts never exceed the input bound plus a few. */
  private static final double[] F_LOG2_F = new double[Level6Deflater.MAX_INPUT + 512];
  /** Entry f: flog(f + 1) − flog(f), what one more occurrence of a symbol seen f times adds. */
  private static final double[] F_LOG2_F_STEP = new double[Level6Deflater.MAX_INPUT + 8];
  /** Entry r: the fewest bit-length symbols scan_tree can emit for r non-zero lengths in a row. */
  private static final int[] MIN_SYMBOLS = new int[600];

  static {
    for (int f = 2; f < F_LOG2_F.length; f++) {
      F_LOG2_F[f] = f * (Math.log(f) / Math.log(2));
    }
    for (int f = 0; f < F_LOG2_F_STEP.length; f++) {
      F_LOG2_F_STEP[f] = F_LOG2_F[f + 1] - F_LOG2_F[f];
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
  private final long[] distWord = new long[1];

  /**
   * A lower bound in bits on zlib's opt_len. {@code usedLit}: bit n set iff literal/length symbol
   * n occurs (the end-of-block symbol always does, and at least one more); {@code usedDist}: the
   * same for distance codes; {@code litEntropy} and {@code distEntropy}: the entropy in bits of
   * each tree's counts; {@code extraBits}: the length and distance extra bits.
   */
  double lowerBound(long[] usedLit, double litEntropy, long usedDist, double distEntropy, long extraBits) {
    zeroLiterals = 0;
    repz3to10 = 0;
    repz11to138 = 0;
    lengthSymbols = 0;
    int litMax = highestBit(usedLit);
    scanRuns(usedLit, litMax);
    // A distance tree with fewer than two codes gets the ones build_tree forces in (length 1
    // each, costing nothing net of zlib's opt_len correction): node = max_code < 2 ? ++max_code : 0.
    long dist = usedDist;
    int distMax = 63 - Long.numberOfLeadingZeros(usedDist);
    int distUsed = Long.bitCount(usedDist);
    if (distUsed < 2) {
      int forced = distMax < 2 ? ++distMax : 0;
      dist |= 1L << forced;
      if (distUsed == 0) {
        forced = distMax < 2 ? ++distMax : 0;
        dist |= 1L << forced;
      }
    }
    distWord[0] = dist;
    scanRuns(distWord, distMax);
    int t = zeroLiterals + repz3to10 + repz11to138 + lengthSymbols;
    double blEntropy = flog(t) - flog(zeroLiterals) - flog(repz3to10) - flog(repz11to138) - flog(lengthSymbols);
    return extraBits + litEntropy + distEntropy + blEntropy + 3.0 * repz3to10 + 7.0 * repz11to138
        + 4 * 3 + 5 + 5 + 4
        - 1e-3; // floating-point slack: the sums above are exact to far better than this
  }

  /** scan_tree's symbols for the lengths of codes 0..maxCode, where bit n of {@code used} = has a length. */
  private void scanRuns(long[] used, int maxCode) {
    int pos = 0;
    while (pos <= maxCode) {
      int start = nextSet(used, pos);
      if (start > pos) {
        zeroRun(start - pos);
      }
      int end = nextClear(used, start);
      lengthSymbols += MIN_SYMBOLS[end - start];
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

  /** Bits gained in an entropy sum when a count goes from f to f + 1: (f+1)·log2(f+1) − f·log2(f). */
  static double flogStep(int f) {
    return F_LOG2_F_STEP[f];
  }

  /** f·log2(f). */
  static double flog(long f) {
    return f < F_LOG2_F.length ? F_LOG2_F[(int) f] : f * (Math.log(f) / Math.log(2));
  }
}
