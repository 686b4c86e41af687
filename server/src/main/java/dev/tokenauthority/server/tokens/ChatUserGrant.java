package dev.tokenauthority.server.tokens;

import dev.tokenauthority.server.policy.TokenKind;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An Agora Chat user token (SDK login) for the user's UUID.
 *
 * @param privilegeSeconds the user privilege's lifetime from issue (0 = no own limit), as read back
 *     from a token for renewal; empty = expires with the token, as every fresh issue
 */
public record ChatUserGrant(String userUuid, OptionalLong privilegeSeconds) implements Grant {
  public ChatUserGrant {
    Objects.requireNonNull(privilegeSeconds, "privilegeSeconds");
  }

  /** A user privilege that expires with the token. */
  public ChatUserGrant(String userUuid) {
    this(userUuid, OptionalLong.empty());
  }

  @Override
  public TokenKind kind() {
    return TokenKind.CHAT_USER;
  }

  @Override
  public String subject() {
    return userUuid;
  }
}
