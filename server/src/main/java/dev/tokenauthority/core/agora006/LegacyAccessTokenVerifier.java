package dev.tokenauthority.core.agora006;

import dev.tokenauthority.core.ClockSkew;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.agora.AgoraValidation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies "006" tokens against the binding the caller claims: first the CRC-32s of channel name
 * and uid text (BINDING_MISMATCH), then the HMAC with each certificate (SIGNATURE_MISMATCH), then
 * the issue time ({@code ts - 86400 <= now + max clock skew}, else TOKEN_NOT_YET_VALID) and
 * expiry: {@code now < ts} and, per privilege, {@code value == 0 || now < value}. The returned
 * claims carry the binding, so subject and channel are known. Thread-safe.
 */
public final class LegacyAccessTokenVerifier {
  /** The claimed channel name or uid does not match the CRCs in the token. */
  public static final String BINDING_MISMATCH = "BINDING_MISMATCH";

  private final Clock clock;
  private final Duration maxClockSkew;

  /** With the default clock skew, {@link ClockSkew#DEFAULT}. */
  public LegacyAccessTokenVerifier(Clock clock) {
    this(clock, ClockSkew.DEFAULT);
  }

  /** @param maxClockSkew how far the issue time ({@code ts - 86400}) may be ahead of the clock */
  public LegacyAccessTokenVerifier(Clock clock, Duration maxClockSkew) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxClockSkew = ClockSkew.requireValid(maxClockSkew);
  }

  /**
   * @param channelName RTC: the channel name; RTM: the user account
   * @param uid RTC: the uid as decimal text, the account, or "" for uid 0; RTM: ""
   */
  public VerifiedToken<LegacyAccessToken> verify(
      LegacyAccessToken token, String channelName, String uid, List<Secret> certificates) {
    return verify(token, channelName, uid, certificates, Duration.ZERO);
  }

  /** As above; a token or privilege that expired less than {@code expiryGrace} ago still passes. */
  public VerifiedToken<LegacyAccessToken> verify(LegacyAccessToken token, String channelName, String uid,
      List<Secret> certificates, Duration expiryGrace) {
    if (expiryGrace.isNegative()) {
      throw new IllegalArgumentException("expiry grace must not be negative");
    }
    String matched = matchingCredential(token, channelName, uid, certificates);
    ClockSkew.requireIssuedBy(token.issuedAt(), clock.instant(), maxClockSkew);
    Instant now = clock.instant().minus(expiryGrace);
    if (!now.isBefore(token.expiresAt())) {
      throw new TokenVerificationException(TokenVerificationException.TOKEN_EXPIRED, "token has expired");
    }
    for (Map.Entry<Integer, Long> p : token.privilegeMap().entrySet()) {
      long at = p.getValue();
      if (at != 0 && !now.isBefore(Instant.ofEpochSecond(at))) {
        throw new TokenVerificationException(TokenVerificationException.PRIVILEGE_EXPIRED,
            "privilege " + LegacyPrivilege.name(p.getKey()) + " has expired");
      }
    }
    return new VerifiedToken<>(token.withBinding(new LegacyAccessToken.Binding(channelName, uid)), matched);
  }

  /** Checks binding and signature only, not the clock; the claims carry the binding. */
  public VerifiedToken<LegacyAccessToken> authenticate(
      LegacyAccessToken token, String channelName, String uid, List<Secret> certificates) {
    String matched = matchingCredential(token, channelName, uid, certificates);
    return new VerifiedToken<>(token.withBinding(new LegacyAccessToken.Binding(channelName, uid)), matched);
  }

  /** Checks binding and signature only; returns the matching certificate's label. */
  public String matchingCredential(
      LegacyAccessToken token, String channelName, String uid, List<Secret> certificates) {
    Objects.requireNonNull(channelName, "channelName");
    Objects.requireNonNull(uid, "uid");
    if (certificates == null || certificates.isEmpty()) {
      throw new TokenVerificationException(TokenVerificationException.NO_CREDENTIALS, "no certificate to verify with");
    }
    if (LegacySignatures.crc32(channelName) != token.crcChannelName()
        || LegacySignatures.crc32(uid) != token.crcUid()) {
      throw new TokenVerificationException(BINDING_MISMATCH, "channel name or uid does not match the token");
    }
    for (Secret certificate : certificates) {
      String cert = AgoraValidation.appCertificate(certificate.reveal());
      byte[] expected = LegacySignatures.sign(cert, token.appId(), channelName, uid, token.message());
      if (token.signatureMatches(expected)) {
        return certificate.label();
      }
    }
    throw new TokenVerificationException(
        TokenVerificationException.SIGNATURE_MISMATCH, "signature matches no configured certificate");
  }
}
