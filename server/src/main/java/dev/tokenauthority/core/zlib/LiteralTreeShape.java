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
 * merged nodes changes nothing when they have the same structure, or when their places are all
 * known and at one depth; otherwise the leaves below them are left out of the counts (fewer
 * counted symbols only lower the bound built on them).
 *
 * <p>The replay runs on groups of identical nodes (the leaves of one frequency; the nodes made by
 * pairing a group's members with each other; a single node made of a group's last member and the
 * next smallest node): a token body's ~70 leaves make ~25 groups, and the pairing within a group
 * is one step. zlib's 15-bit length limit never binds when the counts sum to less than 2584: a
 * Huffman tree of depth 16 needs a total of at least F(18) = 2584. Not thread-safe; reused.
 */
final class LiteralTreeShape {
  /** Totals at or above this may reach zlib's 15-bit depth limit. */
  static final int MAX_TOTAL = 2584;
  /** Classes (≤ 286 distinct counts) plus merges (each makes at least one of the ≤ 285 nodes). */
  private static final int MAX_GROUPS = 2 * 287;
  private static final int DEPTHS = 16;

  private final int[] bucket = new int[MAX_TOTAL];
  // Per group: the members' key, a structure id, how many there are and how many the queue still
  // holds; its children's groups (a == b: each member pairs two members of a; else one member).
  private final int[] freq = new int[MAX_GROUPS];
  private final int[] depth = new int[MAX_GROUPS];
  private final int[] type = new int[MAX_GROUPS];
  private final int[] childTypes = new int[MAX_GROUPS];
  private final int[] count = new int[MAX_GROUPS];
  private final int[] left = new int[MAX_GROUPS];
  private final int[] childA = new int[MAX_GROUPS];
  private final int[] childB = new int[MAX_GROUPS];
  /**
   * Per group and depth: members at a known depth (all zero between calls: each row is cleared
   * once read, cheaper than clearing ~30 rows of 16); and members whose depth is not known.
   */
  private final int[] atDepth = new int[MAX_GROUPS * DEPTHS];
  private final int[] unknown = new int[MAX_GROUPS];
  /** Per group: the least and greatest known depth of a member (empty: lowest > highest). */
  private final int[] lowest = new int[MAX_GROUPS];
  private final int[] highest = new int[MAX_GROUPS];

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
   * only leaves of known length. Clears {@code longByFreq}'s entries.
   */
  boolean compute(int[] symbolFreq, long[] used, int k, int[] longByFreq, int[] outsideLong) {
    int classes = groupLeaves(symbolFreq, used);
    int groups = merge(classes, k);
    Arrays.fill(unknown, 0, groups, 0);
    Arrays.fill(lowest, 0, groups, DEPTHS);
    Arrays.fill(highest, 0, groups, -1);
    atDepth[(groups - 1) * DEPTHS] = 1; // the root
    lowest[groups - 1] = 0;
    highest[groups - 1] = 0;
    boolean fits = pushDepths(classes, groups);
    if (fits) {
      countPerFrequency(classes, longByFreq, outsideLong);
    }
    for (int c = 0; c < classes; c++) {
      longByFreq[freq[c]] = 0;
    }
    return fits;
  }

  /** Groups 0..classes-1: one per distinct count, ascending (a counting sort: counts are small). */
  private int groupLeaves(int[] symbolFreq, long[] used) {
    int maxFreq = 0;
    for (int i = 0; i < used.length; i++) {
      for (long w = used[i]; w != 0; w &= w - 1) {
        int f = symbolFreq[(i << 6) + Long.numberOfTrailingZeros(w)];
        bucket[f]++;
        maxFreq = Math.max(maxFreq, f);
      }
    }
    int classes = 0;
    for (int f = 1; f <= maxFreq; f++) {
      int n = bucket[f];
      if (n != 0) {
        bucket[f] = 0;
        freq[classes] = f;
        depth[classes] = 0;
        type[classes] = f;
        count[classes] = n;
        left[classes] = n;
        classes++;
      }
    }
    return classes;
  }

  /** The two-queue replay over groups; returns the number of groups (the last holds the root). */
  private int merge(int classes, int k) {
    cost = 0;
    int leaf = 0;
    int merged = classes;
    int next = classes;
    int nextType = MAX_TOTAL; // leaf types are their counts, merged ones count up from here
    for (int nodes = k; nodes > 1; ) {
      int a = smaller(leaf, classes, merged, next);
      int b;
      int members;
      if (left[a] >= 2) {
        members = left[a] >> 1; // pair a's members among themselves: they stay the smallest
        left[a] -= 2 * members;
        b = a;
      } else {
        left[a] = 0; // a's last member, with the next smallest node
        if (a < classes) {
          leaf++;
        } else {
          merged++;
        }
        b = smaller(leaf, classes, merged, next);
        left[b]--;
        members = 1;
      }
      nodes -= members;
      int g = next++;
      int f = freq[g] = freq[a] + freq[b];
      depth[g] = Math.max(depth[a], depth[b]) + 1;
      count[g] = members;
      left[g] = members;
      childA[g] = a;
      childB[g] = b;
      cost += (long) f * members;
      // A structure id: the previous group's if both keys and both children's ids match (then the
      // subtrees are identical), else a fresh one; fresh ids for identical subtrees only make the
      // check in pushDepths more cautious. Ids stay below 4096 (MAX_TOTAL + MAX_GROUPS).
      int children = Math.min(type[a], type[b]) * 4096 + Math.max(type[a], type[b]);
      int prev = g - 1;
      boolean same = prev >= classes && freq[prev] == f && depth[prev] == depth[g] && childTypes[prev] == children;
      childTypes[g] = children;
      type[g] = same ? type[prev] : nextType++;
      while (leaf < classes && left[leaf] == 0) {
        leaf++;
      }
      while (merged < next && left[merged] == 0) {
        merged++;
      }
    }
    return next;
  }

  /** The queue front with the smaller key; a leaf wins a frequency tie (depth 0 against ≥ 1). */
  private int smaller(int leaf, int classes, int merged, int next) {
    return leaf < classes && (merged == next || freq[leaf] <= freq[merged]) ? leaf : merged;
  }

  /**
   * From the root down, in reverse creation order: each group hands its members' depths + 1 to its
   * children. Merged groups of one key sit next to each other; all their consumers come later, so
   * their depths are complete when the first of them is reached. zlib may place that key's members
   * in any order among their places: if they differ in structure and their places are not all
   * known and at one depth, their depths become unknown. Returns false if a depth passes 15.
   */
  private boolean pushDepths(int classes, int groups) {
    int end = groups;
    while (end > classes) {
      int start = end - 1;
      while (start > classes && freq[start - 1] == freq[end - 1] && depth[start - 1] == depth[end - 1]) {
        start--;
      }
      if (!interchangeable(start, end)) {
        for (int g = start; g < end; g++) {
          clearRow(g);
          lowest[g] = DEPTHS;
          highest[g] = -1;
          unknown[g] = count[g];
        }
      }
      for (int g = end - 1; g >= start; g--) {
        int a = childA[g];
        int b = childB[g];
        int perMember = a == b ? 2 : 1;
        unknown[a] += perMember * unknown[g];
        if (a != b) {
          unknown[b] += unknown[g];
        }
        if (highest[g] + 1 >= DEPTHS) {
          Arrays.fill(atDepth, 0, groups * DEPTHS, 0);
          return false;
        }
        for (int d = lowest[g]; d <= highest[g]; d++) {
          int n = atDepth[g * DEPTHS + d];
          atDepth[a * DEPTHS + d + 1] += perMember * n;
          if (a != b) {
            atDepth[b * DEPTHS + d + 1] += n;
          }
        }
        if (lowest[g] <= highest[g]) {
          widen(a, lowest[g] + 1, highest[g] + 1);
          widen(b, lowest[g] + 1, highest[g] + 1);
          clearRow(g);
        }
      }
      end = start;
    }
    return true;
  }

  private void clearRow(int g) {
    if (lowest[g] <= highest[g]) {
      Arrays.fill(atDepth, g * DEPTHS + lowest[g], g * DEPTHS + highest[g] + 1, 0);
    }
  }

  private void widen(int g, int low, int high) {
    lowest[g] = Math.min(lowest[g], low);
    highest[g] = Math.max(highest[g], high);
  }

  /** Whether zlib's order among the merged groups start..end-1 (one key) cannot change a length. */
  private boolean interchangeable(int start, int end) {
    boolean alike = true;
    for (int g = start + 1; g < end; g++) {
      alike &= type[g] == type[start];
    }
    if (alike) {
      return true;
    }
    int oneDepth = -1;
    for (int g = start; g < end; g++) {
      // Every member is at a known depth (no unknown ones, no depth with zero members in the
      // range: a group's count is ≥ 1), and that depth is the same for all.
      if (unknown[g] != 0 || lowest[g] != highest[g] || (oneDepth >= 0 && oneDepth != lowest[g])) {
        return false;
      }
      oneDepth = lowest[g];
    }
    return true;
  }

  private void countPerFrequency(int classes, int[] longByFreq, int[] outsideLong) {
    int lengths = 0;
    for (int c = 0; c < classes; c++) {
      int inLong = longByFreq[freq[c]];
      for (int len = lowest[c]; len <= highest[c]; len++) {
        int n = atDepth[c * DEPTHS + len];
        if (n != 0) {
          lengths |= 1 << len;
          if (n > inLong) {
            outsideLong[len] += n - inLong;
          }
        }
      }
      clearRow(c);
    }
    lengthsUsed = lengths;
  }
}
