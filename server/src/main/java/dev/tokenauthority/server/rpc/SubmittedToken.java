package dev.tokenauthority.server.rpc;

import dev.tokenauthority.core.TokenException;
import dev.tokenauthority.core.detect.AnyToken;
import dev.tokenauthority.server.audit.AuditEvent;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.tokens.TokenEngine;
import java.util.Map;

/** The first step of every RPC that is handed a token back (RenewToken, InspectToken). */
final class SubmittedToken {
  private SubmittedToken() {}

  /**
   * Notes the requested app and the token's fingerprint in the audit line, then reads the token:
   * the fingerprint of its text until its claims can be read, then of its claims.
   *
   * @throws ApiException INVALID_ARGUMENT on "token": TOKEN_REQUIRED when empty, else the parser's
   *     reason (UNKNOWN_FORMAT, BAD_BASE64, ...)
   */
  static AnyToken parse(TokenEngine engine, String token, String requestedApp, AuditEvent.Builder audit) {
    audit.app(requestedApp).token(token);
    if (token.isEmpty()) {
      throw ApiException.invalidArgument("token", "TOKEN_REQUIRED", "token must not be empty");
    }
    AnyToken parsed;
    try {
      parsed = engine.parse(token);
    } catch (TokenException e) {
      throw CoreErrors.toApi(e, Map.of());
    }
    // Claims in the clear (all but ZEGO): the fingerprint is theirs, whatever the encoding.
    parsed.claims().ifPresent(audit::token);
    return parsed;
  }
}
