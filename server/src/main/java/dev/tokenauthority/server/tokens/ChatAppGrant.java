package dev.tokenauthority.server.tokens;

import dev.tokenauthority.server.policy.TokenKind;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An Agora Chat app token (authorizes Chat REST calls).
 *
 * @param privilegeSeconds the app privilege's lifetime from issue (0 = no own limit), as read back
 *     from a token for renewal; empty = expires with the token, as every fresh issue
 */
public record ChatAppGrant(OptionalLong privilegeSeconds) implements Grant {
  public ChatAppGrant {
    Objects.requireNonNull(privilegeSeconds, "privilegeSeconds");
  }

  /** An app privilege that expires with the token. */
  public ChatAppGrant() {
    this(OptionalLong.empty());
  }

  @Override
  public TokenKind kind() {
    return TokenKind.CHAT_APP;
  }

  @Override
  public String subject() {
    return "";
  }
}
