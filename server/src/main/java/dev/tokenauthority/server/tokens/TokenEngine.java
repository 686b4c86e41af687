package dev.tokenauthority.server.tokens;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.detect.AnyToken;
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
   * Checks a grant against its vendor's rules, as building it will, without signing anything.
   *
   * @throws InvalidTokenInputException when an input breaks a vendor rule
   * @throws IllegalArgumentException when the grant does not fit the app's vendor (a bug upstream)
   */
  PreparedToken prepare(AppConfig app, Grant grant, Instant issuedAt, Duration lifetime);

  /** Builds and signs a prepared token with the app's primary credential. */
  Minted sign(PreparedToken prepared);

  /** Prepares and signs at once, for callers that authorised the grant already (RenewToken). */
  default Minted mint(AppConfig app, Grant grant, Instant issuedAt, Duration lifetime) {
    return sign(prepare(app, grant, issuedAt, lifetime));
  }

  /** Reads any supported format. @throws MalformedTokenException */
  AnyToken parse(String token);

  /**
   * Verifies with every credential of the app (signature or decryption, app id) and checks the
   * time as of {@code now}: issued at most {@code maxClockSkew} ahead (else TOKEN_NOT_YET_VALID),
   * and not expired, accepting a token or privilege that expired less than {@code grace} ago.
   *
   * @throws TokenVerificationException no credential matched, another app, not yet valid, or expired
   * @throws MalformedTokenException decrypted but unreadable (ZEGO)
   */
  VerifiedToken<? extends TokenClaims> verify(AnyToken token, AppConfig app, Optional<LegacyBinding> binding,
      Instant now, Duration grace, Duration maxClockSkew);

  /** Checks authenticity only, ignoring the clock (inspection of expired tokens, finding a ZEGO app). */
  VerifiedToken<? extends TokenClaims> authenticate(AnyToken token, AppConfig app, Optional<LegacyBinding> binding);

  /**
   * What a verified token grants, to mint it again.
   *
   * @throws dev.tokenauthority.server.errors.ApiException FAILED_PRECONDITION TOKEN_NOT_RENEWABLE
   *     for tokens this authority does not issue (e.g. 007 tokens with other services)
   */
  Grant grantOf(TokenClaims verified);
}
