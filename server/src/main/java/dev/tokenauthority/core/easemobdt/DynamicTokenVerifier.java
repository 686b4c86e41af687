package dev.tokenauthority.core.easemobdt;

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
import java.util.Optional;

/**
 * Checks Easemob dynamic tokens against one or more client credentials (primary, then secondary
 * during rotation): recomputes the signature from the token's values, compares in constant time,
 * says which credential matched, then checks {@code now < curTime + ttl}. Immutable and thread-safe.
 *
 * <p>Failures: {@link dev.tokenauthority.core.MalformedTokenException} from parsing; {@link
 * TokenVerificationException} with {@code SIGNATURE_MISMATCH}, {@code NO_CREDENTIALS}, {@link
 * #APP_KEY_MISMATCH} or {@code TOKEN_EXPIRED}.
 */
public final class DynamicTokenVerifier {
  /** The signature matched but the token names another app key than the one expected. */
  public static final String APP_KEY_MISMATCH = "APP_KEY_MISMATCH";

  private final List<ClientCredential> credentials;
  private final Clock clock;
  private final Optional<String> expectedAppKey;

  private DynamicTokenVerifier(
      List<ClientCredential> credentials, Clock clock, Optional<String> expectedAppKey) {
    this.credentials = credentials;
    this.clock = clock;
    this.expectedAppKey = expectedAppKey;
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
    Instant expiresAt = token.expiresAt();
    if (!clock.instant().isBefore(expiresAt.plus(grace))) {
      throw new TokenVerificationException(
          TokenVerificationException.TOKEN_EXPIRED,
          "token expired at " + expiresAt + (grace.isZero() ? "" : " (grace " + grace + ")"));
    }
    return verified;
  }

  /** Checks the signature (and app key, when expected) without looking at the clock. */
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
        if (expectedAppKey.isPresent() && !expectedAppKey.get().equals(token.appKey())) {
          throw new TokenVerificationException(
              APP_KEY_MISMATCH, "token is for app key " + token.appKey() + ", not " + expectedAppKey.get());
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
    private Optional<String> expectedAppKey = Optional.empty();

    private Builder() {}

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

    /** Rejects tokens for any other app key with {@link #APP_KEY_MISMATCH}. */
    public Builder expectedAppKey(String appKey) {
      EasemobRules.checkAppKey(appKey);
      this.expectedAppKey = Optional.of(appKey);
      return this;
    }

    public DynamicTokenVerifier build() {
      return new DynamicTokenVerifier(List.copyOf(credentials), clock, expectedAppKey);
    }
  }
}
