package dev.tokenauthority.core.agora;

import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import java.time.Instant;
import java.util.Objects;

/**
 * A freshly built token: the string to hand out and its claims, so callers can report issue and
 * expiry times without parsing it again. {@link #toString()} leaves the token out.
 */
public record SignedToken<T extends TokenClaims>(String token, T claims) {
  public SignedToken {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(claims, "claims");
  }

  public TokenFormat format() {
    return claims.format();
  }

  public Instant issuedAt() {
    return claims.issuedAt();
  }

  public Instant expiresAt() {
    return claims.expiresAt();
  }

  public Instant earliestExpiry() {
    return claims.earliestExpiry();
  }

  @Override
  public String toString() {
    return "SignedToken[format=" + claims.format().id() + ", app=" + claims.appId()
        + ", issuedAt=" + claims.issuedAt() + ", expiresAt=" + claims.expiresAt() + "]";
  }
}
