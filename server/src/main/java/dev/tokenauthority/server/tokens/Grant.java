package dev.tokenauthority.server.tokens;

import dev.tokenauthority.server.policy.TokenKind;

/**
 * What a token grants, independent of its issue time and lifetime: the input of every issue and
 * what RenewToken reads back from a verified token to mint it again, never wider.
 */
public sealed interface Grant
    permits RtcGrant, RtmGrant, ChatUserGrant, ChatAppGrant, ZimGrant, EasemobDynamicGrant {
  TokenKind kind();

  /** The user the token is for (audit and policy); empty for app tokens and unbound RTC tokens. */
  String subject();
}
