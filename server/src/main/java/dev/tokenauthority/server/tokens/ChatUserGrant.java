package dev.tokenauthority.server.tokens;

import dev.tokenauthority.server.policy.TokenKind;

/** An Agora Chat user token (SDK login) for the user's UUID. */
public record ChatUserGrant(String userUuid) implements Grant {
  @Override
  public TokenKind kind() {
    return TokenKind.CHAT_USER;
  }

  @Override
  public String subject() {
    return userUuid;
  }
}
