package dev.tokenauthority.server.tokens;

import dev.tokenauthority.server.policy.TokenKind;

/** An Easemob dynamic ("dt-") user token, computed locally. */
public record EasemobDynamicGrant(String userId) implements Grant {
  @Override
  public TokenKind kind() {
    return TokenKind.EASEMOB_USER;
  }

  @Override
  public String subject() {
    return userId;
  }
}
