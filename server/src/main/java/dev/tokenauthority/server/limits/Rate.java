package dev.tokenauthority.server.limits;

/**
 * A token-bucket rate: {@code callsPerSecond} tokens are added per second, up to {@code burst}
 * stored. {@link #UNLIMITED} (0 calls per second) means no rate limit.
 */
public record Rate(long callsPerSecond, long burst) {
  public static final Rate UNLIMITED = new Rate(0, 0);

  public Rate {
    if (callsPerSecond < 0 || burst < 0 || (callsPerSecond > 0 && burst < 1)) {
      throw new IllegalArgumentException("a rate needs calls per second >= 0 and, when limited, a burst >= 1");
    }
  }

  public boolean unlimited() {
    return callsPerSecond == 0;
  }
}
