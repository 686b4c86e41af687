package dev.tokenauthority.core.agora.issue;

import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora.AgoraLimits;
import dev.tokenauthority.core.agora.AgoraValidation;
import java.util.Objects;

/**
 * An RTM login token request: user id (1–64 bytes of printable ASCII), lifetime 1..86400 s, format
 * "007" (default) or "006". The login privilege expires with the token.
 */
public record RtmTokenRequest(String userId, long lifetimeSeconds, TokenFormat format, IssueOverrides overrides) {
  public RtmTokenRequest {
    AgoraValidation.rtmUserId(AgoraValidation.FIELD_USER_ID, userId, AgoraLimits.MAX_RTM_USER_ID_BYTES);
    AgoraValidation.tokenLifetime(AgoraValidation.FIELD_LIFETIME, lifetimeSeconds);
    format = Formats.agora(format);
    Objects.requireNonNull(overrides, "overrides");
  }

  public static RtmTokenRequest of(String userId, long lifetimeSeconds) {
    return new RtmTokenRequest(userId, lifetimeSeconds, TokenFormat.AGORA_007, IssueOverrides.NONE);
  }
}
