package dev.tokenauthority.server.rpc;

import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.InspectTokenResponse;
import dev.tokenauthority.api.v1.Validity;
import dev.tokenauthority.core.Privilege;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenException;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.detect.AnyToken;
import dev.tokenauthority.server.audit.AuditEvent;
import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.policy.CallScope;
import dev.tokenauthority.server.tokens.LegacyBinding;
import dev.tokenauthority.server.tokens.TokenEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * InspectToken: decode, and verify when the token's app is visible to the caller. A token that
 * cannot be read is INVALID_ARGUMENT; one that reads but fails verification is a normal answer
 * (validity and reason), since telling the caller that is the point of the RPC.
 */
final class InspectHandler {
  private final TokenEngine engine;
  private final Clock clock;

  InspectHandler(TokenEngine engine, Clock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  InspectTokenResponse handle(InspectTokenRequest req, CallScope scope, AuditEvent.Builder audit) {
    AnyToken parsed = SubmittedToken.parse(engine, req.getToken(), req.getApp(), audit);
    InspectTokenResponse.Builder out = InspectTokenResponse.newBuilder();
    describe(out, parsed);
    Optional<LegacyBinding> binding = req.hasLegacyBinding()
        ? Optional.of(new LegacyBinding(req.getLegacyBinding().getChannelName(), req.getLegacyBinding().getUid()))
        : Optional.empty();
    Optional<AppConfig> app;
    if (!req.getApp().isEmpty()) {
      AppConfig named = scope.app("app", req.getApp());
      out.setApp(named.name());
      if (!TokenApps.belongs(named, parsed)) {
        return out.setValidity(Validity.VALIDITY_INVALID).setInvalidReason("TOKEN_APP_MISMATCH").build();
      }
      app = Optional.of(named);
    } else {
      app = TokenApps.visible(scope, parsed, engine, binding);
    }
    if (app.isEmpty()) {
      return out.setValidity(Validity.VALIDITY_UNVERIFIED).setInvalidReason("APP_NOT_VISIBLE").build();
    }
    audit.app(app.get().name());
    out.setApp(app.get().name());
    if (parsed.format() == dev.tokenauthority.core.TokenFormat.AGORA_006 && binding.isEmpty()) {
      return out.setValidity(Validity.VALIDITY_UNVERIFIED).setInvalidReason("LEGACY_BINDING_REQUIRED").build();
    }
    try {
      VerifiedToken<? extends TokenClaims> v = engine.verify(parsed, app.get(), binding, clock.instant(),
          Duration.ZERO, scope.config().maxClockSkew());
      describe(out, v.claims());
      audit.subject(v.claims().subject()).token(v.claims());
      return out.setValidity(Validity.VALIDITY_VALID).setMatchedCredential(v.matchedCredential()).build();
    } catch (TokenVerificationException e) {
      boolean expired = RenewHandler.isExpiry(e);
      if (!expired && !e.reason().equals(TokenVerificationException.NOT_YET_VALID)) {
        return out.setValidity(Validity.VALIDITY_INVALID).setInvalidReason(e.reason()).build();
      }
      // Authentic but not usable now: show what it says (a not-yet-valid one points at a clock).
      try {
        VerifiedToken<? extends TokenClaims> v = engine.authenticate(parsed, app.get(), binding);
        describe(out, v.claims());
        audit.token(v.claims());
        return out.setValidity(expired ? Validity.VALIDITY_EXPIRED : Validity.VALIDITY_INVALID)
            .setInvalidReason(e.reason()).setMatchedCredential(v.matchedCredential()).build();
      } catch (TokenException again) {
        return out.setValidity(Validity.VALIDITY_INVALID).setInvalidReason(again.reason()).build();
      }
    } catch (TokenException e) {
      // Opened with our secret but unreadable inside (ZEGO): not a token of this app.
      return out.setValidity(Validity.VALIDITY_INVALID).setInvalidReason(e.reason()).build();
    }
  }

  /** What can be read without a credential (ZEGO: format and stated expiry only). */
  private static void describe(InspectTokenResponse.Builder out, AnyToken t) {
    out.setFormat(ProtoMapping.format(t.format()))
        .setExpiresAt(ProtoMapping.timestamp(t.statedExpiry()));
    t.claims().ifPresent(c -> describe(out, c));
  }

  private static void describe(InspectTokenResponse.Builder out, TokenClaims c) {
    out.setFormat(ProtoMapping.format(c.format()))
        .setAppId(c.appId())
        .setSubject(c.subject())
        .setChannel(c.channel().orElse(""))
        .setIssuedAt(ProtoMapping.timestamp(c.issuedAt()))
        .setExpiresAt(ProtoMapping.timestamp(c.expiresAt()))
        .clearPrivileges();
    for (Privilege p : c.privileges()) {
      out.addPrivileges(ProtoMapping.privilege(p));
    }
  }
}
