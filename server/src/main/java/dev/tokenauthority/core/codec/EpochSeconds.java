package dev.tokenauthority.core.codec;

/** Bounds for unix-second fields read from tokens, so that conversion to Instant can never fail. */
public final class EpochSeconds {
  /** 9999-12-31T23:59:59Z: far beyond any real token, far inside what Instant can hold. */
  public static final long MAX = 253_402_300_799L;

  private EpochSeconds() {}

  public static boolean inRange(long seconds) {
    return seconds >= 0 && seconds <= MAX;
  }
}
