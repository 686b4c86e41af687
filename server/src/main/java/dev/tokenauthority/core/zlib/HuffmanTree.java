package dev.tokenauthority.core.zlib;

import java.util.Arrays;

/**
 * One dynamic Huffman tree of a deflate block, built exactly as zlib's trees.c builds it
 * (build_tree, pqdownheap, gen_bitlen, gen_codes): zlib's heap order decides which of equally
 * frequent symbols get the longer codes, and so the tree header, so it is reproduced step for
 * step, including the repair of lengths past the limit. Also what trees.c's static_tree_desc says
 * about the tree (its fixed-code lengths, extra bits, length limit). Not thread-safe; reused.
 */
final class HuffmanTree {
  private static final int MAX_BITS = 15;
  private static final int NODE_BITS = 10; // nodes < 2 * 286 + 1 = 573
  private static final int NODE_MASK = (1 << NODE_BITS) - 1;

  final int[] freq;
  final int[] len;
  final int[] code;
  private final int[] dad;
  final int elems;
  private final int[] staticLen;
  private final int[] extraBits;
  private final int extraBase;
  private final int maxLength;
  /** After {@link #build}: the largest code with a non-zero count (or one build_tree forced in). */
  int maxCode;
  /** After {@link #build}: what it adds to zlib's opt_len and static_len (the data with this tree). */
  long optBits;
  long staticBits;

  private final int[] heap;
  private final int heapSize;
  private int heapLen;
  private int heapMax;
  private final int[] blCount = new int[MAX_BITS + 1];
  private final int[] nextCode = new int[MAX_BITS + 1];

  /**
   * {@code elems} codes; {@code staticLen} their fixed-code lengths (null for the bit-length
   * tree); codes from {@code extraBase} on carry {@code extraBits[code - extraBase]} extra bits.
   */
  HuffmanTree(int elems, int[] staticLen, int[] extraBits, int extraBase, int maxLength) {
    int size = 2 * elems + 1;
    this.freq = new int[size];
    this.len = new int[size];
    this.code = new int[size];
    this.dad = new int[size];
    this.elems = elems;
    this.staticLen = staticLen;
    this.extraBits = extraBits;
    this.extraBase = extraBase;
    this.maxLength = maxLength;
    this.heap = new int[size];
    this.heapSize = size;
  }

  /**
   * trees.c's pqdownheap over heap entries that carry their own order: entry = rank << NODE_BITS |
   * node, rank = frequency << 8 | depth, so trees.c's smaller() (frequency, then depth, {@code <=})
   * is a compare of entry >>> NODE_BITS, one load per child instead of a load of the node and then
   * of its rank. The smaller child is picked with masks rather than a branch: which one is smaller
   * is a coin toss, and the mispredicted branch was most of the tree build. Same comparisons as
   * zlib's (right child on <=), so the same heap.
   */
  private void downHeap(int k) {
    int[] heap = this.heap;
    int n = heapLen;
    int v = heap[k];
    int rv = v >>> NODE_BITS;
    int j = k << 1;
    while (j <= n) {
      int a = heap[j];
      int b = j < n ? heap[j + 1] : Integer.MAX_VALUE;
      int right = ((b >>> NODE_BITS) - (a >>> NODE_BITS) - 1) >> 31; // -1 iff b's rank <= a's
      j -= right;
      a = (a & ~right) | (b & right);
      if (rv <= a >>> NODE_BITS) {
        break;
      }
      heap[k] = a;
      k = j;
      j <<= 1;
    }
    heap[k] = v;
  }

  /**
   * build_tree over the counts in {@code freq}: frequencies of at most 2^13 - 1 (inputs of at most
   * 4 KiB) and depths below 256 keep an entry's rank in 21 bits, and nodes (< 573) in NODE_BITS.
   * zlib's heap has room for the literal tree in all three; only the positions relative to its end
   * matter, so each tree's own heap of its size orders the same.
   */
  void build() {
    int[] freq = this.freq;
    int[] heap = this.heap;
    int maxCode = -1;
    optBits = 0;
    staticBits = 0;
    heapLen = 0;
    heapMax = heapSize;
    for (int n = 0; n < elems; n++) {
      if (freq[n] != 0) {
        heap[++heapLen] = freq[n] << (8 + NODE_BITS) | n;
        maxCode = n;
      } else {
        len[n] = 0;
      }
    }
    // A tree needs two codes: force ones in as trees.c does (and pay back their cost up front).
    while (heapLen < 2) {
      int node = maxCode < 2 ? ++maxCode : 0;
      heap[++heapLen] = 1 << (8 + NODE_BITS) | node;
      freq[node] = 1;
      optBits--;
      if (staticLen != null) {
        staticBits -= staticLen[node];
      }
    }
    this.maxCode = maxCode;
    for (int n = heapLen / 2; n >= 1; n--) {
      downHeap(n);
    }
    int node = elems;
    do {
      int en = heap[1];
      heap[1] = heap[heapLen--];
      downHeap(1);
      int em = heap[1];
      int n = en & NODE_MASK;
      int m = em & NODE_MASK;
      heap[--heapMax] = n;
      heap[--heapMax] = m;
      int f = freq[node] = freq[n] + freq[m];
      int depth = Math.max((en >>> NODE_BITS) & 0xff, (em >>> NODE_BITS) & 0xff) + 1;
      dad[n] = dad[m] = node;
      heap[1] = f << (8 + NODE_BITS) | depth << NODE_BITS | node++;
      downHeap(1);
    } while (heapLen >= 2);
    heap[--heapMax] = heap[1] & NODE_MASK;
    genBitLengths();
  }

  /** gen_bitlen: code lengths from the tree, capped at maxLength and repaired as zlib repairs them. */
  private void genBitLengths() {
    int[] freq = this.freq;
    int[] len = this.len;
    Arrays.fill(blCount, 0);
    len[heap[heapMax]] = 0;
    int overflow = 0;
    int h;
    for (h = heapMax + 1; h < heapSize; h++) {
      int n = heap[h];
      int bits = len[dad[n]] + 1;
      if (bits > maxLength) {
        bits = maxLength;
        overflow++;
      }
      len[n] = bits;
      if (n > maxCode) {
        continue; // not a leaf
      }
      blCount[bits]++;
      int xbits = n >= extraBase ? extraBits[n - extraBase] : 0;
      optBits += (long) freq[n] * (bits + xbits);
      if (staticLen != null) {
        staticBits += (long) freq[n] * (staticLen[n] + xbits);
      }
    }
    if (overflow == 0) {
      return;
    }
    do {
      int bits = maxLength - 1;
      while (blCount[bits] == 0) {
        bits--;
      }
      blCount[bits]--;
      blCount[bits + 1] += 2;
      blCount[maxLength]--;
      overflow -= 2;
    } while (overflow > 0);
    // Hand the repaired lengths out again, longest to the least frequent (heap order).
    for (int bits = maxLength; bits != 0; bits--) {
      int n = blCount[bits];
      while (n != 0) {
        int m = heap[--h];
        if (m > maxCode) {
          continue;
        }
        if (len[m] != bits) {
          optBits += ((long) bits - len[m]) * freq[m];
          len[m] = bits;
        }
        n--;
      }
    }
  }

  /** gen_codes for the built tree; only a dynamic block needs its codes, so only it pays for them. */
  void genCodes() {
    Arrays.fill(blCount, 0);
    for (int n = 0; n <= maxCode; n++) {
      if (len[n] != 0) {
        blCount[len[n]]++;
      }
    }
    assignCodes(len, code, maxCode, blCount, nextCode);
  }

  /** gen_codes proper: canonical codes, bit-reversed, from the lengths and their counts. */
  static void assignCodes(int[] len, int[] code, int maxCode, int[] count, int[] nextCode) {
    int c = 0;
    for (int bits = 1; bits <= MAX_BITS; bits++) {
      c = (c + count[bits - 1]) << 1;
      nextCode[bits] = c;
    }
    for (int n = 0; n <= maxCode; n++) {
      int l = len[n];
      if (l != 0) {
        code[n] = reverse(nextCode[l]++, l);
      }
    }
  }

  static int reverse(int code, int len) {
    return Integer.reverse(code) >>> (32 - len);
  }
}
