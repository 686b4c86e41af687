package dev.tokenauthority.server.rpc;

import dev.tokenauthority.core.TokenException;
import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.tokens.Grant;
import dev.tokenauthority.server.tokens.Minted;
import dev.tokenauthority.server.tokens.PreparedToken;
import dev.tokenauthority.server.tokens.TokenEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The two steps of an issue, split so handlers authorise in between: {@link #prepare} checks the
 * vendor's rules (INVALID_ARGUMENT on the request's field), {@link #sign} runs the signer.
 */
final class Minting {
  private Minting() {}

  static PreparedToken prepare(TokenEngine engine, AppConfig app, Grant grant, Instant now, Duration lifetime,
      Map<String, String> fields) {
    try {
      return engine.prepare(app, grant, now, lifetime);
    } catch (TokenException e) {
      throw CoreErrors.toApi(e, fields);
    }
  }

  static Minted sign(TokenEngine engine, PreparedToken prepared, Map<String, String> fields) {
    try {
      return engine.sign(prepared);
    } catch (TokenException e) {
      throw CoreErrors.toApi(e, fields);
    }
  }
}
