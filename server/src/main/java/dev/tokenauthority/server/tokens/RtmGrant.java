package dev.tokenauthority.server.tokens;

import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.server.policy.TokenKind;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An Agora RTM login token.
 *
 * @param loginSeconds the login privilege's lifetime from issue (0 = no own limit), as read back
 *     from a token for renewal; empty = expires with the token, as every fresh issue
 */
public record RtmGrant(String userId, TokenFormat format, OptionalLong loginSeconds) implements Grant {
  public RtmGrant {
    Objects.requireNonNull(loginSeconds, "loginSeconds");
  }

  /** A login that expires with the token. */
  public RtmGrant(String userId, TokenFormat format) {
    this(userId, format, OptionalLong.empty());
  }

  @Override
  public TokenKind kind() {
    return TokenKind.RTM;
  }

  @Override
  public String subject() {
    return userId;
  }
}
