package dev.tokenauthority.bridge.easemob;

import java.time.Duration;

/**
 * The unit of Easemob's {@code ttl} and {@code expires_in}: seconds, except on VIP 5 clusters,
 * which use milliseconds (seed 004). Set per app in configuration.
 */
public enum TtlUnit {
  SECONDS,
  MILLISECONDS;

  /** The wire value for a lifetime, at least 1: 0 would mean "never expires" to Easemob. */
  public long toWire(Duration ttl) {
    long v = this == SECONDS ? ttl.toSeconds() : ttl.toMillis();
    return Math.max(1, v);
  }

  public Duration fromWire(long value) {
    return this == SECONDS ? Duration.ofSeconds(value) : Duration.ofMillis(value);
  }
}
