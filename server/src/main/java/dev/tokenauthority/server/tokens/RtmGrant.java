package dev.tokenauthority.server.tokens;

import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.server.policy.TokenKind;

/** An Agora RTM login token. */
public record RtmGrant(String userId, TokenFormat format) implements Grant {
  @Override
  public TokenKind kind() {
    return TokenKind.RTM;
  }

  @Override
  public String subject() {
    return userId;
  }
}
