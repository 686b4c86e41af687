package dev.tokenauthority.core.easemobdt;

import dev.tokenauthority.core.ClockSkew;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks Easemob dynamic tokens against one or more client credentials (primary, then secondary
 * during rotation): recomputes the signature from the token's values, compares in constant time,
 * says which credential matched, then checks {@code curTime - MAX_CLOCK_SKEW <= now < curTime +
 * ttl}. Immutable and thread-safe.
 *
 * <p>The vendor signs {@code client_id + appkey + user_id + cur_time + ttl + secret} with no
 * separators, so one signature covers every other way of cutting that string into fields: trailing
 * digits of the user id can move into curTime, curTime's digits into ttl, the app name's tail into
 * the user id. The signature cannot tell those readings apart; plausibility has to:
 * <ul>
 *   <li>the client id is the configured one (it is not in the token) and the app key must equal
 *       the configured one ({@link Builder#expectedAppKey} is required), so neither edge moves;
 *   <li>a curTime more than the clock skew ({@link #MAX_CLOCK_SKEW} by default) ahead is refused
 *       ({@code TOKEN_NOT_YET_VALID}): a digit moved into curTime multiplies it by ten or more;
 *   <li>a ttl above {@link EasemobRules#MAX_TTL_SECONDS} is refused ({@link #TTL_TOO_LONG}): a
 *       curTime shortened into ttl leaves an issue time decades ago with a ttl of decades.
 * </ul>
 * What remains are readings whose curTime, digits shifted, lands again within a month of now (user
 * ids ending in the digits curTime starts with, at rare moments); only the vendor could remove those.
 *
 * <p>Failures: {@link dev.tokenauthority.core.MalformedTokenException} from parsing; {@link
 * TokenVerificationException} with {@code SIGNATURE_MISMATCH}, {@code NO_CREDENTIALS}, {@link
 * #APP_KEY_MISMATCH}, {@link #TTL_TOO_LONG}, {@code TOKEN_NOT_YET_VALID} or {@code TOKEN_EXPIRED}.
 */
public final class DynamicTokenVerifier {
  /** The signature matched but the token names another app key than the one expected. */
  public static final String APP_KEY_MISMATCH = "APP_KEY_MISMATCH";
  /** The signature matched but the ttl is longer than any dynamic token we accept. */
  public static final String TTL_TOO_LONG = "TTL_TOO_LONG";
  /**
   * The default for how far an issuer's clock may run ahead of ours ({@link ClockSkew#DEFAULT}):
   * far below the factor of ten a digit moved from the user id into curTime adds.
   */
  public static final Duration MAX_CLOCK_SKEW = ClockSkew.DEFAULT;

  private final List<ClientCredential> credentials;
  private final Clock clock;
  private final String expectedAppKey;
  private final Duration maxClockSkew;

  private DynamicTokenVerifier(
      List<ClientCredential> credentials, Clock clock, String expectedAppKey, Duration maxClockSkew) {
    this.credentials = credentials;
    this.clock = clock;
    this.expectedAppKey = expectedAppKey;
    this.maxClockSkew = maxClockSkew;
  }

  public static Builder builder() {
    return new Builder();
  }

  public VerifiedToken<DynamicToken> verify(String token) {
    return verify(DynamicTokenParser.parse(token), Duration.ZERO);
  }

  /** As {@link #verify(String)}, accepting a token that expired less than {@code grace} ago. */
  public VerifiedToken<DynamicToken> verify(String token, Duration grace) {
    return verify(DynamicTokenParser.parse(token), grace);
  }

  public VerifiedToken<DynamicToken> verify(DynamicToken token, Duration grace) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative");
    }
    VerifiedToken<DynamicToken> verified = checkSignature(token);
    Instant now = clock.instant();
    ClockSkew.requireIssuedBy(token.issuedAt(), now, maxClockSkew);
    Instant expiresAt = token.expiresAt();
    if (!now.isBefore(expiresAt.plus(grace))) {
      throw new TokenVerificationException(
          TokenVerificationException.TOKEN_EXPIRED,
          "token expired at " + expiresAt + (grace.isZero() ? "" : " (grace " + grace + ")"));
    }
    return verified;
  }

  /** Checks the signature, app key and ttl bound without looking at the clock. */
  public VerifiedToken<DynamicToken> checkSignature(String token) {
    return checkSignature(DynamicTokenParser.parse(token));
  }

  public VerifiedToken<DynamicToken> checkSignature(DynamicToken token) {
    if (credentials.isEmpty()) {
      throw new TokenVerificationException(
          TokenVerificationException.NO_CREDENTIALS, "no Easemob client credential configured");
    }
    byte[] given = token.signature().getBytes(StandardCharsets.US_ASCII);
    for (ClientCredential credential : credentials) {
      String expected =
          DtSignature.compute(credential, token.appKey(), token.userId(), token.curTime(), token.ttlSeconds());
      if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given)) {
        if (!expectedAppKey.equals(token.appKey())) {
          throw new TokenVerificationException(
              APP_KEY_MISMATCH, "token is for app key " + token.appKey() + ", not " + expectedAppKey);
        }
        if (token.ttlSeconds() > EasemobRules.MAX_TTL_SECONDS) {
          throw new TokenVerificationException(
              TTL_TOO_LONG, "ttl " + token.ttlSeconds() + " is above " + EasemobRules.MAX_TTL_SECONDS + " seconds");
        }
        return new VerifiedToken<>(token, credential.clientSecret().label());
      }
    }
    throw new TokenVerificationException(
        TokenVerificationException.SIGNATURE_MISMATCH, "no configured Easemob client credential signed this token");
  }

  public static final class Builder {
    private final List<ClientCredential> credentials = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private String expectedAppKey;
    private Duration maxClockSkew = MAX_CLOCK_SKEW;

    private Builder() {}

    /** How far curTime may be ahead of the clock; {@link #MAX_CLOCK_SKEW} unless set. */
    public Builder maxClockSkew(Duration skew) {
      this.maxClockSkew = ClockSkew.requireValid(skew);
      return this;
    }

    /** Adds a credential; tried in the order added. */
    public Builder credential(ClientCredential credential) {
      credentials.add(Objects.requireNonNull(credential, "credential"));
      return this;
    }

    public Builder credentials(List<ClientCredential> credentials) {
      credentials.forEach(this::credential);
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Required: the configured app key. Tokens for any other app key are refused with {@link
     * #APP_KEY_MISMATCH}; without it the app name's tail could move into the user id.
     */
    public Builder expectedAppKey(String appKey) {
      EasemobRules.checkAppKey(appKey);
      this.expectedAppKey = appKey;
      return this;
    }

    /** @throws IllegalStateException without {@link #expectedAppKey} */
    public DynamicTokenVerifier build() {
      if (expectedAppKey == null) {
        throw new IllegalStateException("expectedAppKey is required");
      }
      return new DynamicTokenVerifier(List.copyOf(credentials), clock, expectedAppKey, maxClockSkew);
    }
  }
}
