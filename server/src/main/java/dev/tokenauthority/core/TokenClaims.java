package dev.tokenauthority.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a parsed token says, in format-neutral terms; each format's immutable token type implements
 * it and adds its own typed fields. Parsing alone proves nothing: verify before you trust it.
 */
public interface TokenClaims {
  TokenFormat format();

  /** The app the token is for: Agora app id, ZEGO app id as decimal text, Easemob app key. */
  String appId();

  Instant issuedAt();

  /** When the token as a whole stops being accepted. */
  Instant expiresAt();

  /** The user the token is bound to (uid text, account, user id, chat UUID); empty for app tokens. */
  String subject();

  /** The channel or room the token is bound to, if any. */
  Optional<String> channel();

  List<Privilege> privileges();

  /** The earliest moment any part of this token stops working (token or privilege expiry). */
  default Instant earliestExpiry() {
    Instant earliest = expiresAt();
    for (Privilege p : privileges()) {
      if (p.expiresAt().isPresent() && p.expiresAt().get().isBefore(earliest)) {
        earliest = p.expiresAt().get();
      }
    }
    return earliest;
  }
}
