package dev.tokenauthority.core.agora.issue;

import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora.AgoraLimits;
import dev.tokenauthority.core.agora.AgoraValidation;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An RTM login token request: user id (1–64 bytes of printable ASCII), lifetime 1..86400 s (for
 * "006" also 0: the vendor default, login packed with 0 and valid 24 h), format "007" (default)
 * or "006". The login privilege expires with the token unless
 * {@code loginLifetimeSeconds} gives it a lifetime of its own ("007": 0 = no own limit; a renewal
 * keeps a shorter one it found in the token).
 */
public record RtmTokenRequest(
    String userId, long lifetimeSeconds, TokenFormat format, IssueOverrides overrides, OptionalLong loginLifetimeSeconds) {
  public RtmTokenRequest {
    AgoraValidation.rtmUserId(AgoraValidation.FIELD_USER_ID, userId, AgoraLimits.MAX_RTM_USER_ID_BYTES);
    format = Formats.agora(format);
    Formats.lifetime(lifetimeSeconds, format);
    Objects.requireNonNull(overrides, "overrides");
    loginLifetimeSeconds.ifPresent(s -> AgoraValidation.privilegeLifetime(AgoraValidation.FIELD_PRIVILEGE_LIFETIME, s));
  }

  /** The login privilege expires with the token. */
  public RtmTokenRequest(String userId, long lifetimeSeconds, TokenFormat format, IssueOverrides overrides) {
    this(userId, lifetimeSeconds, format, overrides, OptionalLong.empty());
  }

  /** The login privilege's lifetime in seconds. */
  public long loginSeconds() {
    return loginLifetimeSeconds.orElse(lifetimeSeconds);
  }

  public static RtmTokenRequest of(String userId, long lifetimeSeconds) {
    return new RtmTokenRequest(userId, lifetimeSeconds, TokenFormat.AGORA_007, IssueOverrides.NONE);
  }
}
