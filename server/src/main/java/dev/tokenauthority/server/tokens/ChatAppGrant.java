package dev.tokenauthority.server.tokens;

import dev.tokenauthority.server.policy.TokenKind;

/** An Agora Chat app token (authorizes Chat REST calls). */
public record ChatAppGrant() implements Grant {
  @Override
  public TokenKind kind() {
    return TokenKind.CHAT_APP;
  }

  @Override
  public String subject() {
    return "";
  }
}
