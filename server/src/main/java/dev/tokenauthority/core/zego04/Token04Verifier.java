package dev.tokenauthority.core.zego04;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenauthority.core.ClockSkew;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.codec.Bytes;
import dev.tokenauthority.core.codec.StrictJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decrypts and checks ZEGO Token04s with one or more server secrets (primary, then secondary during
 * rotation), reporting which one matched. Immutable and thread-safe; build one per app.
 *
 * <p>Token04 has no MAC: a secret "matches" when the ciphertext decrypts with valid padding to
 * UTF-8 text that is one JSON object. A wrong secret therefore shows up as {@link
 * TokenVerificationException} {@code SIGNATURE_MISMATCH}. CBC lets a holder alter the first
 * plaintext block through the iv, which holds the app id, so always set {@link
 * Builder#expectedAppId} when the app is known.
 *
 * <p>Failures: {@link dev.tokenauthority.core.MalformedTokenException} when the token cannot be
 * read (envelope, or a plaintext that decrypted but breaks the format); {@link
 * TokenVerificationException} with {@code SIGNATURE_MISMATCH}, {@code NO_CREDENTIALS}, {@link
 * #APP_ID_MISMATCH}, {@code TOKEN_NOT_YET_VALID} (ctime more than the clock skew ahead) or
 * {@code TOKEN_EXPIRED}.
 */
public final class Token04Verifier {
  /** The token decrypted with our secret but names another app id. */
  public static final String APP_ID_MISMATCH = "APP_ID_MISMATCH";

  private final List<Key> keys;
  private final Clock clock;
  private final OptionalLong expectedAppId;
  private final Duration maxClockSkew;

  private Token04Verifier(List<Key> keys, Clock clock, OptionalLong expectedAppId, Duration maxClockSkew) {
    this.keys = keys;
    this.clock = clock;
    this.expectedAppId = expectedAppId;
    this.maxClockSkew = maxClockSkew;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Decrypts and checks the token, that ctime is not ahead of the clock by more than the skew, and {@code now < expire}. */
  public VerifiedToken<ZegoToken04> verify(String token) {
    return verify(Token04Parser.parse(token), Duration.ZERO);
  }

  /** As {@link #verify(String)}, accepting a token that expired less than {@code grace} ago. */
  public VerifiedToken<ZegoToken04> verify(String token, Duration grace) {
    return verify(Token04Parser.parse(token), grace);
  }

  public VerifiedToken<ZegoToken04> verify(Token04Envelope envelope, Duration grace) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative");
    }
    VerifiedToken<ZegoToken04> verified = decrypt(envelope);
    ClockSkew.requireIssuedBy(verified.claims().issuedAt(), clock.instant(), maxClockSkew);
    Instant expiresAt = verified.claims().expiresAt();
    if (!clock.instant().isBefore(expiresAt.plus(grace))) {
      throw new TokenVerificationException(
          TokenVerificationException.TOKEN_EXPIRED,
          "token expired at " + expiresAt + (grace.isZero() ? "" : " (grace " + grace + ")"));
    }
    return verified;
  }

  /** Decrypts and checks the token without looking at the clock (for inspection and renewal). */
  public VerifiedToken<ZegoToken04> decrypt(String token) {
    return decrypt(Token04Parser.parse(token));
  }

  public VerifiedToken<ZegoToken04> decrypt(Token04Envelope envelope) {
    if (keys.isEmpty()) {
      throw new TokenVerificationException(
          TokenVerificationException.NO_CREDENTIALS, "no ZEGO server secret configured");
    }
    for (Key key : keys) {
      Optional<ObjectNode> json =
          Aes256Cbc.decrypt(key.spec, envelope.ivUnsafe(), envelope.ciphertextUnsafe())
              .flatMap(Bytes::utf8)
              .flatMap(StrictJson::parseObject);
      if (json.isPresent()) {
        ZegoToken04 claims = Token04Plaintext.read(json.get(), envelope);
        if (expectedAppId.isPresent() && expectedAppId.getAsLong() != claims.zegoAppId()) {
          throw new TokenVerificationException(
              APP_ID_MISMATCH, "token is for app " + claims.zegoAppId() + ", not " + expectedAppId.getAsLong());
        }
        return new VerifiedToken<>(claims, key.label);
      }
    }
    throw new TokenVerificationException(
        TokenVerificationException.SIGNATURE_MISMATCH, "no configured ZEGO server secret decrypts this token");
  }

  private record Key(String label, SecretKeySpec spec) {}

  public static final class Builder {
    private final List<Secret> secrets = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private OptionalLong expectedAppId = OptionalLong.empty();
    private Duration maxClockSkew = ClockSkew.DEFAULT;

    private Builder() {}

    /** How far ctime may be ahead of the clock; {@link ClockSkew#DEFAULT} unless set. */
    public Builder maxClockSkew(Duration skew) {
      this.maxClockSkew = ClockSkew.requireValid(skew);
      return this;
    }

    /** Adds a server secret; tried in the order added. */
    public Builder serverSecret(Secret secret) {
      secrets.add(Objects.requireNonNull(secret, "secret"));
      return this;
    }

    public Builder serverSecrets(List<Secret> secrets) {
      secrets.forEach(this::serverSecret);
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Rejects tokens for any other app id with {@link #APP_ID_MISMATCH}. */
    public Builder expectedAppId(long appId) {
      ZegoRules.checkAppId(appId);
      this.expectedAppId = OptionalLong.of(appId);
      return this;
    }

    /** Validates every secret (exactly 32 ASCII characters) and prepares its AES key once. */
    public Token04Verifier build() {
      List<Key> keys = new ArrayList<>(secrets.size());
      for (Secret s : secrets) {
        keys.add(new Key(s.label(), Aes256Cbc.key(Token04Builder.secretBytes(s))));
      }
      return new Token04Verifier(List.copyOf(keys), clock, expectedAppId, maxClockSkew);
    }
  }
}
