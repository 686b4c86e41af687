package dev.tokenauthority.core.zlib;

import java.util.Arrays;

/**
 * What zlib's build_tree decides about the literal/length tree without reproducing its heap: the
 * tree's cost Σ f·len, and for each frequency how many of the symbols with that frequency get each
 * code length. {@link DynamicBlockBound} turns that into a tight bound on the tree header.
 *
 * <p>Why this is exact. zlib's heap always removes a node of the smallest key (frequency, depth)
 * (trees.c smaller()), so the sequence of keys it removes, and the key of every node it creates,
 * do not depend on how its heap orders equal keys; only which of the equal-key nodes fills which
 * place does. Merged nodes are created in non-decreasing key order (two merges of equal frequency
 * merge four nodes of that same frequency, taken in key order), and a leaf (depth 0) never ties
 * with a merged node (depth at least 1), so two queues — the leaves sorted by frequency and the
 * merged nodes in creation order — replay zlib's keys. Swapping equal-frequency leaves changes
 * which symbol gets a length, not how many symbols of that frequency get it. Swapping equal-key
 * merged nodes changes nothing when they have the same structure or all end at the same depth;
 * otherwise the leaves below them are left out of the counts (fewer counted symbols only lower
 * the bound built on them).
 *
 * <p>zlib's 15-bit length limit never binds when the counts sum to less than 2584: a Huffman
 * tree of depth 16 needs a total of at least F(18) = 2584. Larger blocks are not handled here.
 * Not thread-safe; reused per block.
 */
final class LiteralTreeShape {
  /** Totals at or above this may reach zlib's 15-bit depth limit. */
  static final int MAX_TOTAL = 2584;
  private static final int MAX_LEAVES = 286 + 1; // L_CODES, and one spare for the guard

  private final int[] bucket = new int[MAX_TOTAL];
  private final int[] freq = new int[2 * MAX_LEAVES];
  private final int[] depth = new int[2 * MAX_LEAVES];
  private final int[] parent = new int[2 * MAX_LEAVES];
  private final int[] type = new int[2 * MAX_LEAVES];
  private final int[] childTypes = new int[2 * MAX_LEAVES];
  private final int[] lengths = new int[2 * MAX_LEAVES];
  /** A node whose depth, or whose leaves' depths, zlib's order of equal keys may change. */
  private final boolean[] uncertain = new boolean[2 * MAX_LEAVES];
  private final int[] perLength = new int[16];

  /** After {@link #compute}: Σ f·len over the leaves (zlib's opt_len share without extra bits). */
  long cost;
  /** After {@link #compute}: bit ℓ set only if some symbol surely gets code length ℓ. */
  int lengthsUsed;

  /**
   * Replays build_tree's keys for the {@code k >= 2} symbols flagged in {@code used} with counts in
   * {@code symbolFreq} (summing to less than {@link #MAX_TOTAL}); returns false if a length would
   * pass 15 (it cannot below that total). On true, adds to {@code outsideLong[ℓ]}, for each
   * frequency f, a count of symbols of frequency f that surely get length ℓ and lie outside the
   * symbols counted in {@code longByFreq[f]}: max(0, n(f, ℓ) − longByFreq[f]), n(f, ℓ) counting
   * only leaves outside uncertain subtrees. Clears {@code longByFreq}'s entries.
   */
  boolean compute(int[] symbolFreq, long[] used, int k, int[] longByFreq, int[] outsideLong) {
    int maxFreq = sortLeaves(symbolFreq, used);
    cost = 0;
    int leaf = 0;
    int merged = k;
    int next = k;
    int nextType = MAX_TOTAL; // leaf types are their frequencies, merged ones count up from here
    while (next < 2 * k - 1) {
      // The smaller key first; a leaf wins a frequency tie (depth 0 against at least 1).
      int a = leaf < k && (merged == next || freq[leaf] <= freq[merged]) ? leaf++ : merged++;
      int b = leaf < k && (merged == next || freq[leaf] <= freq[merged]) ? leaf++ : merged++;
      int node = next++;
      int f = freq[node] = freq[a] + freq[b];
      depth[node] = Math.max(depth[a], depth[b]) + 1;
      parent[a] = parent[b] = node;
      cost += f;
      // A structure id: the same as the previous node's if both keys and both children's ids
      // match (then the subtrees are identical), else a fresh one. Fresh ids for identical
      // subtrees only make the check below more cautious.
      int ta = type[a];
      int tb = type[b];
      int children = Math.min(ta, tb) * 4096 + Math.max(ta, tb); // ids < 4096: MAX_TOTAL + 573
      int prev = node - 1;
      boolean same = prev >= k && freq[prev] == f && depth[prev] == depth[node] && childTypes[prev] == children;
      childTypes[node] = children;
      type[node] = same ? type[prev] : nextType++;
    }
    int root = next - 1;
    lengths[root] = 0;
    int longest = 0;
    for (int n = root - 1; n >= 0; n--) {
      longest = Math.max(longest, lengths[n] = lengths[parent[n]] + 1);
    }
    boolean determined = longest <= 15;
    if (determined) {
      markInterchangeable(k, root);
      uncertain[root] = false;
      for (int n = root - 1; n >= 0; n--) {
        uncertain[n] = (n >= k && uncertain[n]) || uncertain[parent[n]];
      }
      countPerFrequency(k, longByFreq, outsideLong);
    }
    for (int n = 0; n < k; n++) {
      longByFreq[freq[n]] = 0;
    }
    Arrays.fill(bucket, 0, maxFreq + 1, 0);
    return determined;
  }

  /** Leaves 0..k-1 = the used symbols' counts in ascending order (a counting sort: counts are small). */
  private int sortLeaves(int[] symbolFreq, long[] used) {
    int maxFreq = 0;
    for (int i = 0; i < used.length; i++) {
      for (long w = used[i]; w != 0; w &= w - 1) {
        int f = symbolFreq[(i << 6) + Long.numberOfTrailingZeros(w)];
        bucket[f]++;
        maxFreq = Math.max(maxFreq, f);
      }
    }
    int n = 0;
    for (int f = 1; f <= maxFreq; f++) {
      for (int c = bucket[f]; c > 0; c--) {
        freq[n] = f;
        depth[n] = 0;
        type[n] = f;
        n++;
      }
    }
    return maxFreq;
  }

  /**
   * Merged nodes of one key sit next to each other in creation order; zlib may place them in any
   * order among the places the replay gave them. That changes no length if they are all alike or
   * all those places have the same depth; otherwise the lengths of the leaves below them are
   * unknown here: marks those nodes uncertain (the caller extends that to their leaves), so that
   * only the other leaves are counted. Leaves outside uncertain subtrees keep their lengths in
   * every such order: where nodes marked alike trade places, their subtrees match position by
   * position, uncertain parts included.
   */
  private void markInterchangeable(int k, int root) {
    int start = k;
    for (int n = k + 1; n <= root + 1; n++) {
      if (n <= root && freq[n] == freq[start] && depth[n] == depth[start]) {
        continue;
      }
      boolean alike = true;
      boolean sameDepth = true;
      for (int m = start + 1; m < n; m++) {
        alike &= type[m] == type[start];
        sameDepth &= lengths[m] == lengths[start];
      }
      boolean ambiguous = !alike && !sameDepth;
      for (int m = start; m < n; m++) {
        uncertain[m] = ambiguous;
      }
      start = n;
    }
  }

  /** Leaves of one frequency are contiguous (sorted): count their lengths, then credit outsideLong. */
  private void countPerFrequency(int k, int[] longByFreq, int[] outsideLong) {
    int used = 0;
    int start = 0;
    while (start < k) {
      int f = freq[start];
      int end = start;
      for (; end < k && freq[end] == f; end++) {
        if (!uncertain[end]) {
          perLength[lengths[end]]++;
        }
      }
      int inLong = longByFreq[f];
      for (int len = 1; len <= 15; len++) {
        int n = perLength[len];
        if (n != 0) {
          used |= 1 << len;
          if (n > inLong) {
            outsideLong[len] += n - inLong;
          }
          perLength[len] = 0;
        }
      }
      start = end;
    }
    lengthsUsed = used;
  }
}
