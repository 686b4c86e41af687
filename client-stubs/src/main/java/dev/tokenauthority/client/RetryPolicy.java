package dev.tokenauthority.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the channel retries calls that fail with UNAVAILABLE (server restarting, connection lost
 * before the request was processed). Applied through a gRPC service config, so grpc-java itself
 * does the retrying, with its jittered exponential backoff and retry throttling.
 *
 * <p>Every RPC of the API may be retried: issuing mints a fresh token and has no other effect.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double backoffMultiplier) {
  /** Four attempts, 0.2 s first backoff, doubling, capped at 2 s. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(2), 2.0);
  /** One attempt only. */
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ofMillis(200), Duration.ofSeconds(2), 2.0);

  static final String SERVICE_NAME = "tokenauthority.v1.TokenAuthorityService";

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    // grpc-java caps attempts at 5 unless the channel raises it; keep the knob honest.
    if (maxAttempts < 1 || maxAttempts > 5) {
      throw new IllegalArgumentException("maxAttempts must be 1..5, was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("backoffs must be positive and maxBackoff >= initialBackoff");
    }
    if (!(backoffMultiplier >= 1.0)) {
      throw new IllegalArgumentException("backoffMultiplier must be >= 1");
    }
  }

  /** The service config's methodConfig list, in the shape ManagedChannelBuilder.defaultServiceConfig expects. */
  List<Map<String, ?>> toMethodConfig() {
    Map<String, Object> methodConfig = Map.of(
        "name", List.of(Map.of("service", SERVICE_NAME)),
        "retryPolicy", Map.of(
            "maxAttempts", (double) maxAttempts,
            "initialBackoff", seconds(initialBackoff),
            "maxBackoff", seconds(maxBackoff),
            "backoffMultiplier", backoffMultiplier,
            "retryableStatusCodes", List.of("UNAVAILABLE")));
    return List.<Map<String, ?>>of(methodConfig);
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + "." + String.format("%09d", d.toNanosPart()) + "s";
  }
}
