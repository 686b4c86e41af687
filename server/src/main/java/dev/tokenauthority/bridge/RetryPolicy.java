package dev.tokenauthority.bridge;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How 5xx, 429 and transport failures are retried: at most {@code maxAttempts} sends in all, with
 * "equal jitter" exponential backoff (half fixed, half random, so retries never bunch at zero) and
 * never sooner than the vendor's Retry-After. The caller's deadline caps everything.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(2));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
    }
  }

  /** The wait before retry number {@code retryIndex} (0 for the first retry). */
  public Duration backoff(int retryIndex, Optional<Duration> retryAfter, RandomGenerator random) {
    long initial = initialBackoff.toMillis();
    long cap = maxBackoff.toMillis();
    long ceiling = retryIndex >= 30 ? cap : Math.min(cap, initial << retryIndex);
    long half = ceiling / 2;
    long millis = half + (ceiling - half > 0 ? random.nextLong(ceiling - half + 1) : 0);
    Duration jittered = Duration.ofMillis(millis);
    return retryAfter.filter(ra -> ra.compareTo(jittered) > 0).orElse(jittered);
  }
}
