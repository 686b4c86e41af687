package dev.tokenauthority.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The "not yet valid" rule every verifier applies: a token issued more than the allowed skew after
 * the verifier's clock is refused with {@link TokenVerificationException#NOT_YET_VALID}, so a
 * replica whose clock runs ahead is noticed instead of its tokens being accepted.
 */
public final class ClockSkew {
  /**
   * Issuers are our own replicas and the customer's app servers, kept in step by NTP (milliseconds
   * apart); five minutes is the usual tolerance (Kerberos, most JWT libraries).
   */
  public static final Duration DEFAULT = Duration.ofMinutes(5);

  private ClockSkew() {}

  /** @throws IllegalArgumentException for a negative skew */
  public static Duration requireValid(Duration maxSkew) {
    Objects.requireNonNull(maxSkew, "maxSkew");
    if (maxSkew.isNegative()) {
      throw new IllegalArgumentException("clock skew must not be negative");
    }
    return maxSkew;
  }

  /** @throws TokenVerificationException TOKEN_NOT_YET_VALID when issued more than maxSkew after now */
  public static void requireIssuedBy(Instant issuedAt, Instant now, Duration maxSkew) {
    if (issuedAt.isAfter(now.plus(maxSkew))) {
      throw new TokenVerificationException(TokenVerificationException.NOT_YET_VALID,
          "token is issued at " + issuedAt + ", more than " + maxSkew.toSeconds() + " s after now (" + now + ")");
    }
  }
}
