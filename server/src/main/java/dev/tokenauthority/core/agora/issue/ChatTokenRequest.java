package dev.tokenauthority.core.agora.issue;

import dev.tokenauthority.core.agora.AgoraValidation;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An Agora Chat token request ("007" only): a user token for the user with this UUID (SDK login,
 * privilege 1), or an app token (REST calls, privilege 2). The privilege expires with the token
 * unless {@code privilegeLifetimeSeconds} gives it a lifetime of its own (0 = no own limit; a
 * renewal keeps a shorter one it found in the token).
 */
public record ChatTokenRequest(
    Optional<String> userUuid, long lifetimeSeconds, IssueOverrides overrides, OptionalLong privilegeLifetimeSeconds) {
  public ChatTokenRequest {
    userUuid.ifPresent(AgoraValidation::chatUserUuid);
    AgoraValidation.tokenLifetime(AgoraValidation.FIELD_LIFETIME, lifetimeSeconds);
    Objects.requireNonNull(overrides, "overrides");
    privilegeLifetimeSeconds.ifPresent(
        s -> AgoraValidation.privilegeLifetime(AgoraValidation.FIELD_PRIVILEGE_LIFETIME, s));
  }

  /** The privilege expires with the token. */
  public ChatTokenRequest(Optional<String> userUuid, long lifetimeSeconds, IssueOverrides overrides) {
    this(userUuid, lifetimeSeconds, overrides, OptionalLong.empty());
  }

  public static ChatTokenRequest user(String userUuid, long lifetimeSeconds) {
    return new ChatTokenRequest(Optional.of(AgoraValidation.chatUserUuid(userUuid)), lifetimeSeconds,
        IssueOverrides.NONE);
  }

  public static ChatTokenRequest app(long lifetimeSeconds) {
    return new ChatTokenRequest(Optional.empty(), lifetimeSeconds, IssueOverrides.NONE);
  }

  public ChatTokenRequest withOverrides(IssueOverrides overrides) {
    return new ChatTokenRequest(userUuid, lifetimeSeconds, overrides, privilegeLifetimeSeconds);
  }

  /** The same request whose privilege lives {@code seconds} (when present) rather than as long as the token. */
  public ChatTokenRequest withPrivilegeLifetime(OptionalLong seconds) {
    return new ChatTokenRequest(userUuid, lifetimeSeconds, overrides, seconds);
  }

  /** The privilege's lifetime in seconds. */
  public long privilegeSeconds() {
    return privilegeLifetimeSeconds.orElse(lifetimeSeconds);
  }

  public boolean isAppToken() {
    return userUuid.isEmpty();
  }
}
