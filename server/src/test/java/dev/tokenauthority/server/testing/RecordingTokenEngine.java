package dev.tokenauthority.server.testing;

import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.detect.AnyToken;
import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.tokens.CoreTokenEngine;
import dev.tokenauthority.server.tokens.Grant;
import dev.tokenauthority.server.tokens.LegacyBinding;
import dev.tokenauthority.server.tokens.Minted;
import dev.tokenauthority.server.tokens.PreparedToken;
import dev.tokenauthority.server.tokens.TokenEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** The real engine, counting how often its signer ran (every issue and renewal signs through sign). */
public final class RecordingTokenEngine implements TokenEngine {
  private final TokenEngine delegate = new CoreTokenEngine();
  private final AtomicInteger signs = new AtomicInteger();

  /** How many tokens were signed since the last {@link #reset}. */
  public int signs() {
    return signs.get();
  }

  public void reset() {
    signs.set(0);
  }

  @Override
  public PreparedToken prepare(AppConfig app, Grant grant, Instant issuedAt, Duration lifetime) {
    return delegate.prepare(app, grant, issuedAt, lifetime);
  }

  @Override
  public Minted sign(PreparedToken prepared) {
    signs.incrementAndGet();
    return delegate.sign(prepared);
  }

  @Override
  public AnyToken parse(String token) {
    return delegate.parse(token);
  }

  @Override
  public VerifiedToken<? extends TokenClaims> verify(AnyToken token, AppConfig app,
      Optional<LegacyBinding> binding, Instant now, Duration grace, Duration maxClockSkew) {
    return delegate.verify(token, app, binding, now, grace, maxClockSkew);
  }

  @Override
  public VerifiedToken<? extends TokenClaims> authenticate(
      AnyToken token, AppConfig app, Optional<LegacyBinding> binding) {
    return delegate.authenticate(token, app, binding);
  }

  @Override
  public Grant grantOf(TokenClaims verified) {
    return delegate.grantOf(verified);
  }
}
