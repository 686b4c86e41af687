package dev.tokenauthority.server.tokens;

import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.server.config.AppConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the service needs from the token core, in the service's own terms. {@link CoreTokenEngine}
 * is the implementation over dev.tokenauthority.core; handlers only see this interface.
 */
public interface TokenEngine {
  /**
   * Builds a token for the app's primary credential.
   *
   * @throws InvalidTokenInputException when an input breaks a vendor rule
   * @throws IllegalArgumentException when the grant does not fit the app's vendor (a bug upstream)
   */
  Minted mint(AppConfig app, Grant grant, Instant issuedAt, Duration lifetime);

  /** Reads any supported format. @throws MalformedTokenException */
  TokenClaims parse(String token);

  /**
   * Verifies a parsed token with every credential of the app, as of {@code at}.
   *
   * @throws TokenVerificationException no credential matched, or expired as of {@code at}
   * @throws MalformedTokenException the token cannot be checked (e.g. 006 binding CRC mismatch)
   */
  VerifiedToken<? extends TokenClaims> verify(
      TokenClaims parsed, AppConfig app, Optional<LegacyBinding> binding, Instant at);

  /** What a verified token grants, to mint it again. */
  Grant grantOf(TokenClaims verified, Optional<LegacyBinding> binding);
}
