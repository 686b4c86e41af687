package dev.tokenauthority.core.zlib;

/**
 * The cost in bits of an optimal prefix code (Huffman's) for a few symbol counts: a lower bound on
 * what zlib's bit-length tree, itself a Huffman code (capped at 7 bits, which can only add), pays
 * for symbols whose counts are at least these once grouped. Not thread-safe; reused.
 *
 * <p>Why grouping and splitting off one symbol are sound, for {@link DynamicBlockBound}. (1)
 * Merging two symbols into one never raises the optimal cost: give the merged symbol the shorter
 * of their two lengths; the Kraft sum does not grow, nor the cost. So the real bit-length symbols
 * cost at least what their groups cost. (2) When the literal tree has two different lengths a and
 * b, each is sent at least once as its own symbol (the first of a run of equal lengths is never a
 * repeat), so a group holding both splits into {b} and the rest, both non-empty. (3) Lowering a
 * count never raises the optimal cost, so both may drop to a counted lower bound S on their sum
 * (keeping each at least 1). (4) The optimal cost is a minimum of linear functions of the counts
 * (one per code), hence concave; along the segment (S - x, x), 1 <= x <= S - 1, its minimum is at
 * an end: (S - 1, 1).
 */
final class PrefixCode {
  private final long[] counts = new long[24];
  private int n;

  PrefixCode clear() {
    n = 0;
    return this;
  }

  /** Adds a symbol of count {@code c} (none if 0), keeping the counts in ascending order. */
  PrefixCode add(long c) {
    if (c != 0) {
      int i = n++;
      while (i > 0 && counts[i - 1] > c) {
        counts[i] = counts[i - 1];
        i--;
      }
      counts[i] = c;
    }
    return this;
  }

  /** Huffman's cost: the sum of the merged nodes' counts (0 for fewer than two symbols). */
  long cost() {
    long[] w = counts;
    long cost = 0;
    for (int lo = 0; lo < n - 1; lo++) {
      long merged = w[lo] + w[lo + 1];
      cost += merged;
      int i = lo + 1;
      while (i + 1 < n && w[i + 1] < merged) {
        w[i] = w[i + 1];
        i++;
      }
      w[i] = merged;
    }
    return cost;
  }
}
