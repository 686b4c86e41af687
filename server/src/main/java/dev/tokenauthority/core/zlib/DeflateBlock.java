package dev.tokenauthority.core.zlib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One final deflate block (RFC 1951) chosen and written as zlib's trees.c does: the LZ77 symbols
 * are tallied; the block type follows _tr_flush_block's byte counts (stored if it is no longer,
 * else fixed if no longer than dynamic, else dynamic), decided by {@link DynamicBlockBound} when
 * a bound suffices, else by the literal/length, distance and bit-length trees built as zlib builds
 * them ({@link HuffmanTree}); then the header and codes are written. Not thread-safe; reused.
 */
final class DeflateBlock {
  private static final int LITERALS = 256;
  private static final int END_BLOCK = 256;
  private static final int LENGTH_CODES = 29;
  private static final int L_CODES = LITERALS + 1 + LENGTH_CODES;
  private static final int D_CODES = 30;
  private static final int BL_CODES = 19;
  private static final int MAX_BITS = 15;
  private static final int MAX_BL_BITS = 7;
  private static final int REP_3_6 = 16;
  private static final int REPZ_3_10 = 17;
  private static final int REPZ_11_138 = 18;
  private static final int STORED_BLOCK = 0;
  private static final int STATIC_TREES = 1;
  private static final int DYN_TREES = 2;

  private static final int[] EXTRA_LBITS = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
  };
  private static final int[] EXTRA_DBITS = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
  };
  private static final int[] EXTRA_BLBITS = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7};
  /** The order RFC 1951 sends the bit-length code lengths in. */
  private static final int[] BL_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int[] LENGTH_CODE = new int[256];
  private static final int[] BASE_LENGTH = new int[LENGTH_CODES];
  private static final int[] DIST_CODE = new int[512];
  private static final int[] BASE_DIST = new int[D_CODES];
  private static final int[] STATIC_LTREE_LEN = new int[L_CODES + 2];
  private static final int[] STATIC_LTREE_CODE = new int[L_CODES + 2];
  private static final int[] STATIC_DTREE_LEN = new int[D_CODES];
  private static final int[] STATIC_DTREE_CODE = new int[D_CODES];

  static {
    int length = 0;
    for (int code = 0; code < LENGTH_CODES - 1; code++) {
      BASE_LENGTH[code] = length;
      for (int n = 0; n < (1 << EXTRA_LBITS[code]); n++) {
        LENGTH_CODE[length++] = code;
      }
    }
    // Length 258 (lc 255) has a code of its own, 28, rather than being 227 + 31 of code 27.
    LENGTH_CODE[length - 1] = LENGTH_CODES - 1;
    BASE_LENGTH[LENGTH_CODES - 1] = length - 1; // so its (zero) extra bits are lc - base = 0
    int dist = 0;
    for (int code = 0; code < 16; code++) {
      BASE_DIST[code] = dist;
      for (int n = 0; n < (1 << EXTRA_DBITS[code]); n++) {
        DIST_CODE[dist++] = code;
      }
    }
    dist >>= 7;
    for (int code = 16; code < D_CODES; code++) {
      BASE_DIST[code] = dist << 7;
      for (int n = 0; n < (1 << (EXTRA_DBITS[code] - 7)); n++) {
        DIST_CODE[256 + dist++] = code;
      }
    }
    int[] count = new int[MAX_BITS + 1];
    for (int n = 0; n < L_CODES + 2; n++) {
      STATIC_LTREE_LEN[n] = n < 144 ? 8 : n < 256 ? 9 : n < 280 ? 7 : 8;
      count[STATIC_LTREE_LEN[n]]++;
    }
    HuffmanTree.assignCodes(STATIC_LTREE_LEN, STATIC_LTREE_CODE, L_CODES + 1, count, new int[MAX_BITS + 1]);
    for (int n = 0; n < D_CODES; n++) {
      STATIC_DTREE_LEN[n] = 5;
      STATIC_DTREE_CODE[n] = HuffmanTree.reverse(n, 5);
    }
  }

  private final HuffmanTree ltree = new HuffmanTree(L_CODES, STATIC_LTREE_LEN, EXTRA_LBITS, LITERALS + 1, MAX_BITS);
  private final HuffmanTree dtree = new HuffmanTree(D_CODES, STATIC_DTREE_LEN, EXTRA_DBITS, 0, MAX_BITS);
  private final HuffmanTree bltree = new HuffmanTree(BL_CODES, null, EXTRA_BLBITS, 0, MAX_BL_BITS);

  private final DynamicBlockBound dynamicBound = new DynamicBlockBound();
  private long optLen;
  private long staticLen;

  /** Per symbol: distance << 8 | literal-or-length-minus-3 (distance 0 = a literal). */
  private final int[] syms;
  private int symCount;
  /** What the tallied symbols cost in a fixed block, and their extra bits (both exact, any block). */
  private long tallyStaticBits;
  private long tallyExtraBits;
  private long tallyLitExtraBits;
  /** The distance tree is built for the bound (it is small); then the full path must not rebuild it. */
  private boolean distBuilt;
  /** The distance tree's exact share of opt_len, once built for the bound. */
  private long distBits;
  /** scan_tree's bit-length symbol counts for the distance tree alone. */
  private final int[] distBl = new int[BL_CODES];
  /** For {@link DynamicBlockBound}: which literal/length codes occur, and Σ f·log2(f) over them. */
  private final long[] usedLit = new long[(L_CODES + 63) / 64];
  private double litFlogSum;
  private int maxLitCount;
  private int matches;
  /** Set once trees were built: the bit-length counts then need clearing too. */
  private boolean treesBuilt = true;

  private byte[] out;
  private int outPos;
  private long bitBuf;
  private int bitCount;

  DeflateBlock(int maxSymbols) {
    syms = new int[maxSymbols];
  }

  void reset() {
    // A bulk fill of 286 ints is cheaper than clearing the used ones bit by bit.
    Arrays.fill(ltree.freq, 0, L_CODES, 0);
    Arrays.fill(dtree.freq, 0, D_CODES, 0);
    if (treesBuilt) {
      Arrays.fill(bltree.freq, 0, BL_CODES, 0);
      treesBuilt = false;
    }
    Arrays.fill(usedLit, 0);
    litFlogSum = 0;
    matches = 0;
    ltree.freq[END_BLOCK] = 1;
    usedLit[END_BLOCK >>> 6] |= 1L << END_BLOCK;
    optLen = 0;
    staticLen = 0;
    symCount = 0;
    tallyStaticBits = 0;
    tallyExtraBits = 0;
    tallyLitExtraBits = 0;
    distBuilt = false;
  }

  /** Where LZ77 writes its symbols, one int each: distance << 8 | literal-or-length-minus-3 (distance 0 = a literal). */
  int[] symbols() {
    return syms;
  }

  /**
   * Tallies the first {@code count} symbols LZ77 wrote: zlib's _tr_tally counts, in one pass over
   * the symbols rather than inside the LZ77 loop, which then only stores them.
   */
  void countSymbols(int count) {
    int[] syms = this.syms;
    int[] lfreq = ltree.freq;
    int[] dfreq = dtree.freq;
    long[] used = usedLit;
    for (int i = 0; i < count; i++) {
      int sym = syms[i];
      int distance = sym >>> 8;
      if (distance == 0) {
        lfreq[sym]++;
        used[sym >>> 6] |= 1L << sym;
      } else {
        int lcode = LENGTH_CODE[sym & 0xff];
        int dcode = distCode(distance - 1);
        int lsym = lcode + LITERALS + 1;
        lfreq[lsym]++;
        dfreq[dcode]++;
        used[lsym >>> 6] |= 1L << lsym;
        matches++;
        tallyLitExtraBits += EXTRA_LBITS[lcode];
        tallyExtraBits += EXTRA_LBITS[lcode] + EXTRA_DBITS[dcode];
      }
    }
    symCount = count;
  }

  /**
   * From the counts of the codes that occur: the fixed block's size (tallyStaticBits, with the
   * end-of-block code) and the literal/length Σ f·log2(f) for the entropy bound. Done once per block
   * here rather than per symbol in the LZ77 loop.
   */
  private void sumCounts() {
    int[] freq = ltree.freq;
    long fixed = tallyExtraBits;
    double flogs = 0;
    int max = 0;
    for (int i = 0; i < usedLit.length; i++) {
      for (long w = usedLit[i]; w != 0; w &= w - 1) {
        int n = (i << 6) + Long.numberOfTrailingZeros(w);
        int f = freq[n];
        fixed += (long) f * STATIC_LTREE_LEN[n];
        flogs += DynamicBlockBound.flog(f);
        max = Math.max(max, f);
      }
    }
    litFlogSum = flogs;
    maxLitCount = max;
    tallyStaticBits = fixed + 5L * matches; // every fixed distance code is 5 bits
  }

  /**
   * _tr_flush_block(last = 1) then bi_windup: writes the block for the tallied symbols of
   * {@code in[0, len)} at {@code out[pos]}; returns the position after it.
   */
  int finish(byte[] in, int len, byte[] out, int pos) {
    this.out = out;
    this.outPos = pos;
    bitBuf = 0;
    bitCount = 0;
    int quick = choiceWithoutTrees(len);
    if (quick == STORED_BLOCK) {
      writeStored(in, len);
    } else if (quick == STATIC_TREES) {
      sendBits((STATIC_TREES << 1) + 1, 3);
      compress(STATIC_LTREE_LEN, STATIC_LTREE_CODE, STATIC_DTREE_LEN, STATIC_DTREE_CODE);
    } else {
      finishWithTrees(in, len);
    }
    windup();
    this.out = null;
    return outPos;
  }

  /** The exact zlib path: all three trees, then _tr_flush_block's choice. */
  private void finishWithTrees(byte[] in, int len) {
    treesBuilt = true;
    buildTree(ltree);
    if (!distBuilt) {
      buildTree(dtree);
    }
    int maxBlIndex = buildBlTree();
    long optLenb = (optLen + 3 + 7) >> 3;
    long staticLenb = (staticLen + 3 + 7) >> 3;
    if (staticLenb <= optLenb) {
      optLenb = staticLenb;
    }
    if (len + 4 <= optLenb) {
      writeStored(in, len);
    } else if (staticLenb == optLenb) {
      sendBits((STATIC_TREES << 1) + 1, 3);
      compress(STATIC_LTREE_LEN, STATIC_LTREE_CODE, STATIC_DTREE_LEN, STATIC_DTREE_CODE);
    } else {
      ltree.genCodes();
      dtree.genCodes();
      bltree.genCodes();
      sendBits((DYN_TREES << 1) + 1, 3);
      sendAllTrees(ltree.maxCode + 1, dtree.maxCode + 1, maxBlIndex + 1);
      compress(ltree.len, ltree.code, dtree.len, dtree.code);
    }
  }

  private void writeStored(byte[] in, int len) {
    sendBits((STORED_BLOCK << 1) + 1, 3);
    windup();
    putByte(len);
    putByte(len >>> 8);
    putByte(~len);
    putByte(~len >>> 8);
    System.arraycopy(in, 0, out, outPos, len);
    outPos += len;
  }

  /**
   * _tr_flush_block's choice when the trees cannot change it: STORED_BLOCK or STATIC_TREES if a
   * lower bound on the dynamic size ({@link DynamicBlockBound}) already loses to one of them, else
   * -1 (build the trees). The entropy bound is tried first (cheap; it settles ~95 % of the token
   * bodies), then the one from the literal tree's shape (tighter, ~1 µs).
   */
  private int choiceWithoutTrees(int len) {
    double bound = entropyBound();
    if (bound < 0) {
      return -1;
    }
    int choice = choiceFromBound(bound, len);
    if (choice < 0) {
      double fromShape = shapeBound();
      if (fromShape > bound) {
        choice = choiceFromBound(fromShape, len);
      }
    }
    return choice;
  }

  /**
   * zlib: opt_lenb = min(dynamic, fixed) bytes (fixed on a tie); stored if len + 4 <= opt_lenb,
   * else fixed if fixed was the minimum, else dynamic. Given only a lower bound on dynamic: the
   * block type if the bound decides it, else -1.
   */
  private int choiceFromBound(double bound, int len) {
    long staticLenb = (tallyStaticBits + 3 + 7) >> 3;
    long boundLenb = ((long) Math.ceil(bound) + 3 + 7) >> 3;
    if (boundLenb >= staticLenb) {
      return len + 4 <= staticLenb ? STORED_BLOCK : STATIC_TREES;
    }
    if (len + 4 <= staticLenb && len + 4 <= boundLenb) {
      return STORED_BLOCK;
    }
    return -1;
  }

  /** For tests: the first, cheaper lower bound on opt_len {@link #finish} tries, or -1 for none. */
  double firstLowerBound() {
    return entropyBound();
  }

  /** For tests: the best lower bound on opt_len {@link #finish} can use, or -1 for none. */
  double dynamicLowerBound() {
    double bound = entropyBound();
    return bound < 0 ? bound : Math.max(bound, shapeBound());
  }

  /**
   * {@link DynamicBlockBound#lowerBound} for the tallied symbols, or -1 for none (the empty input:
   * a literal tree of one code, which build_tree pads; rare). Builds the distance tree, which has a
   * handful of codes, exactly as zlib does: its cost and its lengths then enter the bound exactly;
   * only the literal/length tree is bounded.
   */
  private double entropyBound() {
    sumCounts();
    if (symCount == 0) {
      return -1;
    }
    int litTotal = symCount + 1;
    double litEntropy = DynamicBlockBound.flog(litTotal) - litFlogSum;
    long before = optLen;
    buildTree(dtree);
    distBuilt = true;
    treesBuilt = true;
    distBits = optLen - before;
    Arrays.fill(distBl, 0);
    walkLengths(dtree, dtree.maxCode, false, distBl);
    return dynamicBound.lowerBound(usedLit, litEntropy, litTotal, maxLitCount, tallyLitExtraBits, distBits, distBl);
  }

  /** After {@link #entropyBound}: {@link DynamicBlockBound#lowerBoundFromShape}, or -1 if it does not apply. */
  private double shapeBound() {
    return dynamicBound.lowerBoundFromShape(ltree.freq, usedLit, symCount + 1, tallyLitExtraBits, distBits, distBl);
  }

  /** For tests, after {@link #dynamicLowerBound()}: the fixed block's size in bits, without its 3-bit header. */
  long fixedBitsAfterBound() {
    return tallyStaticBits;
  }

  /** For tests: the literal/length counts of the tallied symbols (end-of-block included). */
  int[] literalCounts() {
    return Arrays.copyOf(ltree.freq, L_CODES);
  }

  /** For tests, after {@link #dynamicBitsAfterBound()}: the literal/length code lengths zlib's tree gives. */
  int[] literalLengths() {
    return Arrays.copyOf(ltree.len, L_CODES);
  }

  /** For tests, after {@link #dynamicLowerBound()}: builds the other trees and returns zlib's opt_len. */
  long dynamicBitsAfterBound() {
    buildTree(ltree);
    buildBlTree();
    return optLen;
  }

  private static int distCode(int dist) {
    return dist < 256 ? DIST_CODE[dist] : DIST_CODE[256 + (dist >>> 7)];
  }

  /** Builds {@code t} as zlib does and adds its share to opt_len and static_len. */
  private void buildTree(HuffmanTree t) {
    t.build();
    optLen += t.optBits;
    staticLen += t.staticBits;
  }

  // ---- the bit-length tree (build_bl_tree, scan_tree, send_tree) ----

  private int buildBlTree() {
    scanTree(ltree);
    scanTree(dtree);
    buildTree(bltree);
    int maxBlIndex;
    for (maxBlIndex = BL_CODES - 1; maxBlIndex >= 3; maxBlIndex--) {
      if (bltree.len[BL_ORDER[maxBlIndex]] != 0) {
        break;
      }
    }
    optLen += 3L * (maxBlIndex + 1) + 5 + 5 + 4;
    return maxBlIndex;
  }

  /** The run-length walk scan_tree and send_tree share; {@code send} picks tallying or writing. */
  private void walkLengths(HuffmanTree t, int maxCode, boolean send) {
    walkLengths(t, maxCode, send, bltree.freq);
  }

  private void walkLengths(HuffmanTree t, int maxCode, boolean send, int[] bl) {
    int[] len = t.len;
    int prevLen = -1;
    int nextLen = len[0];
    int count = 0;
    int maxCount = 7;
    int minCount = 4;
    if (nextLen == 0) {
      maxCount = 138;
      minCount = 3;
    }
    len[maxCode + 1] = 0xffff; // guard, as trees.c sets it
    for (int n = 0; n <= maxCode; n++) {
      int curLen = nextLen;
      nextLen = len[n + 1];
      if (++count < maxCount && curLen == nextLen) {
        continue;
      } else if (count < minCount) {
        if (send) {
          do {
            sendBlCode(curLen);
          } while (--count != 0);
        } else {
          bl[curLen] += count;
        }
      } else if (curLen != 0) {
        if (curLen != prevLen) {
          if (send) {
            sendBlCode(curLen);
            count--;
          } else {
            bl[curLen]++;
          }
        }
        if (send) {
          sendBlCode(REP_3_6);
          sendBits(count - 3, 2);
        } else {
          bl[REP_3_6]++;
        }
      } else if (count <= 10) {
        if (send) {
          sendBlCode(REPZ_3_10);
          sendBits(count - 3, 3);
        } else {
          bl[REPZ_3_10]++;
        }
      } else {
        if (send) {
          sendBlCode(REPZ_11_138);
          sendBits(count - 11, 7);
        } else {
          bl[REPZ_11_138]++;
        }
      }
      count = 0;
      prevLen = curLen;
      if (nextLen == 0) {
        maxCount = 138;
        minCount = 3;
      } else if (curLen == nextLen) {
        maxCount = 6;
        minCount = 3;
      } else {
        maxCount = 7;
        minCount = 4;
      }
    }
  }

  private void scanTree(HuffmanTree t) {
    walkLengths(t, t.maxCode, false);
  }

  private void sendAllTrees(int lcodes, int dcodes, int blcodes) {
    sendBits(lcodes - 257, 5);
    sendBits(dcodes - 1, 5);
    sendBits(blcodes - 4, 4);
    for (int rank = 0; rank < blcodes; rank++) {
      sendBits(bltree.len[BL_ORDER[rank]], 3);
    }
    walkLengths(ltree, lcodes - 1, true);
    walkLengths(dtree, dcodes - 1, true);
  }

  private void sendBlCode(int c) {
    sendBits(bltree.code[c], bltree.len[c]);
  }

  // ---- the symbols (compress_block) and the bit writer ----

  /**
   * compress_block: the symbols, then end-of-block. The bit buffer lives in locals here (the
   * block's hot loop) and is flushed 32 bits at a time; a match adds at most 20 + 28 bits, so it
   * flushes between its length and distance parts.
   */
  private void compress(int[] lLen, int[] lCode, int[] dLen, int[] dCode) {
    byte[] out = this.out;
    int pos = outPos;
    long buf = bitBuf;
    int count = bitCount;
    int[] syms = this.syms;
    for (int i = 0; i < symCount; i++) {
      int sym = syms[i];
      int dist = sym >>> 8;
      int lc = sym & 0xff;
      if (dist == 0) {
        buf |= (long) lCode[lc] << count;
        count += lLen[lc];
      } else {
        int code = LENGTH_CODE[lc];
        buf |= (long) lCode[code + LITERALS + 1] << count;
        count += lLen[code + LITERALS + 1];
        buf |= (long) (lc - BASE_LENGTH[code]) << count;
        count += EXTRA_LBITS[code];
        if (count >= 32) {
          put32(out, pos, buf);
          pos += 4;
          buf >>>= 32;
          count -= 32;
        }
        dist--;
        code = distCode(dist);
        buf |= (long) dCode[code] << count;
        count += dLen[code];
        buf |= (long) (dist - BASE_DIST[code]) << count;
        count += EXTRA_DBITS[code];
      }
      if (count >= 32) {
        put32(out, pos, buf);
        pos += 4;
        buf >>>= 32;
        count -= 32;
      }
    }
    outPos = pos;
    bitBuf = buf;
    bitCount = count;
    sendBits(lCode[END_BLOCK], lLen[END_BLOCK]);
  }

  /** Appends the low {@code length} bits of {@code value} (no more: callers pass them masked). */
  private void sendBits(int value, int length) {
    bitBuf |= (long) value << bitCount;
    bitCount += length;
    if (bitCount >= 32) {
      put32(out, outPos, bitBuf);
      outPos += 4;
      bitBuf >>>= 32;
      bitCount -= 32;
    }
  }

  /** The low 32 bits of {@code bits}, least significant byte first (deflate's bit order). */
  private static void put32(byte[] out, int pos, long bits) {
    INT_LE.set(out, pos, (int) bits); // one store instead of four
  }

  /** bi_windup: the pending bits, padded to whole bytes. */
  private void windup() {
    while (bitCount > 0) {
      out[outPos++] = (byte) bitBuf;
      bitBuf >>>= 8;
      bitCount -= 8;
    }
    bitBuf = 0;
    bitCount = 0;
  }

  private void putByte(int b) {
    out[outPos++] = (byte) b;
  }
}
