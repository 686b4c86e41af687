package dev.tokenauthority.bench.load;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latencies and error counts of one operation as seen by one worker thread (no sharing while the
 * run is hot); {@link #merge} folds the workers together afterwards. Every successful latency is
 * kept (a bounded run makes at most a few million), so percentiles are exact, not bucketed.
 */
final class LatencyRecorder {
  private long[] nanos = new long[1024];
  private int count;
  private final Map<String, Long> errors = new TreeMap<>();

  void ok(long latencyNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = latencyNanos;
  }

  void error(String kind) {
    errors.merge(kind, 1L, Long::sum);
  }

  void merge(LatencyRecorder other) {
    for (int i = 0; i < other.count; i++) {
      ok(other.nanos[i]);
    }
    other.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
  }

  int successes() {
    return count;
  }

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  Map<String, Long> errors() {
    return errors;
  }

  /** Sorted copy of the successful latencies. */
  long[] sorted() {
    long[] s = Arrays.copyOf(nanos, count);
    Arrays.sort(s);
    return s;
  }

  /** Nearest-rank percentile of a sorted array; 0 when empty. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
