package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.ClockSkew;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.agora.AgoraValidation;
import dev.tokenauthority.core.agora.PrivilegeMap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Verifies AccessToken2 tokens: recomputes the signature with each certificate in turn (primary,
 * then secondary during rotation; constant-time compare), then checks the issue time against the
 * clock ({@code issue_ts <= now + max clock skew}, else TOKEN_NOT_YET_VALID) and expiry:
 * {@code now < issue_ts + expire} and, per privilege, {@code value == 0 || now < issue_ts + value}.
 * Signature first, so a time verdict always means "authentic but not usable now". Thread-safe.
 *
 * <p>The verifier does not check which app a token names; callers that look up credentials by
 * {@link AccessToken2#appId()} get that for free, others must compare it themselves.
 */
public final class AccessToken2Verifier {
  private final Clock clock;
  private final Duration maxClockSkew;

  /** With the default clock skew, {@link ClockSkew#DEFAULT}. */
  public AccessToken2Verifier(Clock clock) {
    this(clock, ClockSkew.DEFAULT);
  }

  /** @param maxClockSkew how far the issue time may be ahead of the clock */
  public AccessToken2Verifier(Clock clock, Duration maxClockSkew) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxClockSkew = ClockSkew.requireValid(maxClockSkew);
  }

  /** Parses then verifies with no expiry grace. */
  public VerifiedToken<AccessToken2> verify(String token, List<Secret> certificates) {
    return verify(AccessToken2.parse(token), certificates, Duration.ZERO);
  }

  public VerifiedToken<AccessToken2> verify(AccessToken2 token, List<Secret> certificates) {
    return verify(token, certificates, Duration.ZERO);
  }

  /**
   * As {@link #verify(AccessToken2, List)}, but a token (or privilege) that expired less than
   * {@code expiryGrace} ago still passes; RenewToken uses this.
   */
  public VerifiedToken<AccessToken2> verify(
      AccessToken2 token, List<Secret> certificates, Duration expiryGrace) {
    Objects.requireNonNull(token, "token");
    if (expiryGrace.isNegative()) {
      throw new IllegalArgumentException("expiry grace must not be negative");
    }
    String matched = matchingCredential(token, certificates);
    ClockSkew.requireIssuedBy(token.issuedAt(), clock.instant(), maxClockSkew);
    Instant now = clock.instant().minus(expiryGrace);
    if (!now.isBefore(token.expiresAt())) {
      throw new TokenVerificationException(TokenVerificationException.TOKEN_EXPIRED, "token has expired");
    }
    long nowSecond = now.getEpochSecond();
    for (Service service : token.services()) {
      PrivilegeMap privileges = PrivilegeMap.copyOf(service.privileges()); // already one: no copy
      for (int i = 0; i < privileges.count(); i++) {
        long value = privileges.valueAt(i);
        // now < issue_ts + value, in whole seconds as Instant.isBefore would compare them.
        if (value != 0 && nowSecond >= token.issueTs() + value) {
          throw new TokenVerificationException(
              TokenVerificationException.PRIVILEGE_EXPIRED,
              service.serviceName() + " privilege " + service.privilegeName(privileges.keyAt(i)) + " has expired");
        }
      }
    }
    return new VerifiedToken<>(token, matched);
  }

  /** Checks the signature only, not the clock (inspection of a token that is not usable now). */
  public VerifiedToken<AccessToken2> authenticate(AccessToken2 token, List<Secret> certificates) {
    return new VerifiedToken<>(token, matchingCredential(token, certificates));
  }

  /**
   * Checks only the signature; returns the label of the first certificate that matches. For
   * inspection, where "authentic" and "expired" are reported separately.
   */
  public String matchingCredential(AccessToken2 token, List<Secret> certificates) {
    if (certificates == null || certificates.isEmpty()) {
      throw new TokenVerificationException(TokenVerificationException.NO_CREDENTIALS, "no certificate to verify with");
    }
    byte[] content = token.content();
    int offset = token.signedOffset();
    for (Secret certificate : certificates) {
      String cert = AgoraValidation.appCertificate(certificate.reveal());
      byte[] expected =
          Signatures.sign(cert, token.issueTs(), token.salt(), content, offset, content.length - offset);
      if (token.signatureMatches(expected)) {
        return certificate.label();
      }
    }
    throw new TokenVerificationException(
        TokenVerificationException.SIGNATURE_MISMATCH, "signature matches no configured certificate");
  }
}
