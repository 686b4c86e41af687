package dev.tokenauthority.server.limits;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per caller identity. Written here rather than taken from a library because the
 * refusal must say exactly when the next token comes (google.rpc.RetryInfo) and tests move the
 * time source by hand; the bucket itself is a few lines.
 *
 * <p>Keys are identities that passed the policy check, so the map is bounded by the configured
 * callers.
 */
public final class RateLimiter {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final InstantSource time;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** @param time a monotonic source in production (see {@link #monotonic()}) */
  public RateLimiter(InstantSource time) {
    this.time = Objects.requireNonNull(time);
  }

  /** A time source that never jumps with the wall clock. */
  public static InstantSource monotonic() {
    return () -> Instant.ofEpochSecond(0, System.nanoTime());
  }

  /**
   * Takes a token for {@code caller} at {@code rate}: {@link Duration#ZERO} when the call may go
   * ahead, else how long until a token is available (nothing is taken then).
   */
  public Duration tryAcquire(String caller, Rate rate) {
    if (rate.unlimited()) {
      return Duration.ZERO;
    }
    Instant now = time.instant();
    long nowNanos = now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
    return buckets.computeIfAbsent(caller, k -> new Bucket(rate, nowNanos)).take(rate, nowNanos);
  }

  /** Tokens are stored in billionths (1 token = 1e9 units), so integer arithmetic stays exact. */
  private static final class Bucket {
    private Rate rate;
    private long stored;
    private long updatedNanos;

    Bucket(Rate rate, long nowNanos) {
      this.rate = rate;
      this.stored = Math.multiplyExact(rate.burst(), NANOS_PER_SECOND);
      this.updatedNanos = nowNanos;
    }

    synchronized Duration take(Rate current, long nowNanos) {
      long capacity = Math.multiplyExact(current.burst(), NANOS_PER_SECOND);
      if (!current.equals(rate)) { // a reload changed the caller's rate: keep what is stored, capped
        rate = current;
        stored = Math.min(stored, capacity);
      }
      long elapsed = Math.max(0, nowNanos - updatedNanos);
      updatedNanos = Math.max(updatedNanos, nowNanos);
      // elapsed seconds x calls per second tokens = elapsed nanoseconds x calls per second units.
      long added = elapsed > capacity ? capacity : Math.min(capacity, multiplySaturated(elapsed, rate.callsPerSecond()));
      stored = Math.min(capacity, stored + added);
      if (stored >= NANOS_PER_SECOND) {
        stored -= NANOS_PER_SECOND;
        return Duration.ZERO;
      }
      long missing = NANOS_PER_SECOND - stored;
      long waitNanos = (missing + rate.callsPerSecond() - 1) / rate.callsPerSecond();
      return Duration.ofNanos(waitNanos);
    }

    private static long multiplySaturated(long a, long b) {
      long hi = Math.multiplyHigh(a, b);
      long lo = a * b;
      return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }
  }
}
