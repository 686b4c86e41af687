package dev.tokenauthority.core.agora.issue;

import dev.tokenauthority.core.agora.AgoraValidation;
import java.util.Objects;
import java.util.Optional;

/**
 * An Agora Chat token request ("007" only): a user token for the user with this UUID (SDK login,
 * privilege 1), or an app token (REST calls, privilege 2). The privilege expires with the token.
 */
public record ChatTokenRequest(Optional<String> userUuid, long lifetimeSeconds, IssueOverrides overrides) {
  public ChatTokenRequest {
    userUuid.ifPresent(AgoraValidation::chatUserUuid);
    AgoraValidation.tokenLifetime(AgoraValidation.FIELD_LIFETIME, lifetimeSeconds);
    Objects.requireNonNull(overrides, "overrides");
  }

  public static ChatTokenRequest user(String userUuid, long lifetimeSeconds) {
    return new ChatTokenRequest(Optional.of(AgoraValidation.chatUserUuid(userUuid)), lifetimeSeconds,
        IssueOverrides.NONE);
  }

  public static ChatTokenRequest app(long lifetimeSeconds) {
    return new ChatTokenRequest(Optional.empty(), lifetimeSeconds, IssueOverrides.NONE);
  }

  public ChatTokenRequest withOverrides(IssueOverrides overrides) {
    return new ChatTokenRequest(userUuid, lifetimeSeconds, overrides);
  }

  public boolean isAppToken() {
    return userUuid.isEmpty();
  }
}
