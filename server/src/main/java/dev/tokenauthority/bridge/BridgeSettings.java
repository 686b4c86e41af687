package dev.tokenauthority.bridge;

import java.time.Duration;
import java.util.Objects;

/**
 * Transport settings shared by every bridge.
 *
 * @param connectTimeout TCP+TLS connect limit, set on the HttpClient
 * @param requestTimeout limit per attempt when the caller's deadline is further away
 * @param retry how 5xx, 429 and transport failures are retried
 */
public record BridgeSettings(Duration connectTimeout, Duration requestTimeout, RetryPolicy retry) {
  public static final BridgeSettings DEFAULT =
      new BridgeSettings(Duration.ofSeconds(3), Duration.ofSeconds(10), RetryPolicy.DEFAULT);

  public BridgeSettings {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(retry, "retry");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
  }

  /**
   * How long work shared by several callers (single flight) may run: every attempt timing out and
   * every backoff at its cap. Shared work is bounded by this, not by the deadline of whichever
   * caller started it; each caller still waits no longer than its own deadline.
   */
  public Duration sharedCallLimit() {
    int n = retry.maxAttempts();
    return requestTimeout.multipliedBy(n).plus(retry.maxBackoff().multipliedBy(n - 1L));
  }
}
