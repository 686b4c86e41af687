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
}
