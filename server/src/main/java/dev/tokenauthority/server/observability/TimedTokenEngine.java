package dev.tokenauthority.server.observability;

import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.detect.AnyToken;
import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.tokens.Grant;
import dev.tokenauthority.server.tokens.LegacyBinding;
import dev.tokenauthority.server.tokens.Minted;
import dev.tokenauthority.server.tokens.PreparedToken;
import dev.tokenauthority.server.tokens.TokenEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Times the token core's build and verify work per format (tokenauthority.core.duration). */
final class TimedTokenEngine implements TokenEngine {
  private final TokenEngine engine;
  private final ServerMetrics metrics;

  TimedTokenEngine(TokenEngine engine, ServerMetrics metrics) {
    this.engine = engine;
    this.metrics = metrics;
  }

  @Override
  public PreparedToken prepare(AppConfig app, Grant grant, Instant issuedAt, Duration lifetime) {
    return engine.prepare(app, grant, issuedAt, lifetime); // checks only: the core builds in sign()
  }

  @Override
  public Minted sign(PreparedToken prepared) {
    long start = System.nanoTime();
    Minted m = engine.sign(prepared);
    metrics.coreDuration("build", m.claims().format().id(), System.nanoTime() - start);
    return m;
  }

  @Override
  public AnyToken parse(String token) {
    return engine.parse(token);
  }

  @Override
  public VerifiedToken<? extends TokenClaims> verify(
      AnyToken token, AppConfig app, Optional<LegacyBinding> binding, Instant now, Duration grace,
      Duration maxClockSkew) {
    long start = System.nanoTime();
    try {
      return engine.verify(token, app, binding, now, grace, maxClockSkew);
    } finally {
      metrics.coreDuration("verify", token.format().id(), System.nanoTime() - start);
    }
  }

  @Override
  public VerifiedToken<? extends TokenClaims> authenticate(
      AnyToken token, AppConfig app, Optional<LegacyBinding> binding) {
    long start = System.nanoTime();
    try {
      return engine.authenticate(token, app, binding);
    } finally {
      metrics.coreDuration("verify", token.format().id(), System.nanoTime() - start);
    }
  }

  @Override
  public Grant grantOf(TokenClaims verified) {
    return engine.grantOf(verified);
  }
}
