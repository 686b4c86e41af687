package dev.tokenauthority.server.rpc;

import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.InspectTokenResponse;
import dev.tokenauthority.api.v1.Validity;
import dev.tokenauthority.core.Privilege;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenException;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.server.audit.AuditEvent;
import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.policy.CallScope;
import dev.tokenauthority.server.tokens.LegacyBinding;
import dev.tokenauthority.server.tokens.TokenEngine;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
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
    audit.app(req.getApp()).token(req.getToken());
    if (req.getToken().isEmpty()) {
      throw ApiException.invalidArgument("token", "TOKEN_REQUIRED", "token must not be empty");
    }
    TokenClaims parsed;
    try {
      parsed = engine.parse(req.getToken());
    } catch (TokenException e) {
      throw CoreErrors.toApi(e, Map.of());
    }
    InspectTokenResponse.Builder out = InspectTokenResponse.newBuilder();
    Optional<AppConfig> app;
    if (!req.getApp().isEmpty()) {
      AppConfig named = scope.app("app", req.getApp());
      if (!TokenApps.belongs(named, parsed)) {
        describe(out, parsed);
        return out.setApp(named.name()).setValidity(Validity.VALIDITY_INVALID)
            .setInvalidReason("TOKEN_APP_MISMATCH").build();
      }
      app = Optional.of(named);
    } else {
      app = TokenApps.visible(scope, parsed);
    }
    if (app.isEmpty()) {
      describe(out, parsed);
      return out.setValidity(Validity.VALIDITY_UNVERIFIED).setInvalidReason("APP_NOT_VISIBLE").build();
    }
    audit.app(app.get().name());
    out.setApp(app.get().name());
    Optional<LegacyBinding> binding = Optional.empty();
    if (parsed.format() == TokenFormat.AGORA_006) {
      if (!req.hasLegacyBinding()) {
        describe(out, parsed);
        return out.setValidity(Validity.VALIDITY_UNVERIFIED).setInvalidReason("LEGACY_BINDING_REQUIRED").build();
      }
      binding = Optional.of(new LegacyBinding(req.getLegacyBinding().getChannelName(), req.getLegacyBinding().getUid()));
    }
    Instant now = clock.instant();
    try {
      VerifiedToken<? extends TokenClaims> v = engine.verify(parsed, app.get(), binding, now);
      describe(out, v.claims());
      audit.subject(v.claims().subject());
      return out.setValidity(Validity.VALIDITY_VALID).setMatchedCredential(v.matchedCredential()).build();
    } catch (TokenVerificationException e) {
      if (!RenewHandler.isExpiry(e)) {
        describe(out, parsed);
        return out.setValidity(Validity.VALIDITY_INVALID).setInvalidReason(e.reason()).build();
      }
      String expiry = e.reason();
      try {
        VerifiedToken<? extends TokenClaims> v = engine.verify(parsed, app.get(), binding, parsed.issuedAt());
        describe(out, v.claims());
        return out.setValidity(Validity.VALIDITY_EXPIRED).setInvalidReason(expiry)
            .setMatchedCredential(v.matchedCredential()).build();
      } catch (TokenException again) {
        describe(out, parsed);
        return out.setValidity(Validity.VALIDITY_INVALID).setInvalidReason(again.reason()).build();
      }
    } catch (TokenException e) {
      // Readable but not checkable against this app (e.g. a 006 binding whose CRC does not match).
      describe(out, parsed);
      return out.setValidity(Validity.VALIDITY_INVALID).setInvalidReason(e.reason()).build();
    }
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
