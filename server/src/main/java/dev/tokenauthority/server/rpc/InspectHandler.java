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
import dev.tokenauthority.core.diagnose.Finding;
import dev.tokenauthority.core.diagnose.IntendedUse;
import dev.tokenauthority.core.diagnose.UseDiagnoser;
import dev.tokenauthority.server.audit.AuditEvent;
import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.policy.CallScope;
import dev.tokenauthority.server.tokens.LegacyBinding;
import dev.tokenauthority.server.tokens.TokenEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * InspectToken: decode, and verify when the token's app is visible to the caller. A token that
 * cannot be read is INVALID_ARGUMENT; one that reads but fails verification is a normal answer
 * (validity and reason), since telling the caller that is the point of the RPC. With an intended
 * use, the core's diagnosis says whether the vendor would accept it.
 */
final class InspectHandler {
  private final TokenEngine engine;
  private final Clock clock;

  InspectHandler(TokenEngine engine, Clock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  InspectTokenResponse handle(InspectTokenRequest req, CallScope scope, AuditEvent.Builder audit) {
    Optional<IntendedUse> use = req.hasIntendedUse()
        ? Optional.of(IntendedUses.from(req.getIntendedUse(), clock.instant()))
        : Optional.empty();
    AnyToken parsed = SubmittedToken.parse(engine, req.getToken(), req.getApp(), audit);
    InspectTokenResponse.Builder out = InspectTokenResponse.newBuilder();
    Optional<LegacyBinding> binding = req.hasLegacyBinding()
        ? Optional.of(new LegacyBinding(req.getLegacyBinding().getChannelName(), req.getLegacyBinding().getUid()))
        : use.flatMap(u -> bindingOf(u, parsed));
    Optional<? extends TokenClaims> authentic = inspect(req, parsed, binding, out, scope, audit);
    use.ifPresent(u -> judge(out, u, authentic, parsed.claims()));
    return out.build();
  }

  /** Fills {@code out}; returns the claims once authenticated (valid, or authentic but expired). */
  private Optional<? extends TokenClaims> inspect(InspectTokenRequest req, AnyToken parsed,
      Optional<LegacyBinding> binding, InspectTokenResponse.Builder out, CallScope scope, AuditEvent.Builder audit) {
    describe(out, parsed);
    Optional<AppConfig> app;
    if (!req.getApp().isEmpty()) {
      AppConfig named = scope.app("app", req.getApp());
      out.setApp(named.name());
      if (!TokenApps.belongs(named, parsed)) {
        out.setValidity(Validity.VALIDITY_INVALID).setInvalidReason("TOKEN_APP_MISMATCH");
        return Optional.empty();
      }
      app = Optional.of(named);
    } else {
      app = TokenApps.visible(scope, parsed, engine, binding);
    }
    if (app.isEmpty()) {
      out.setValidity(Validity.VALIDITY_UNVERIFIED).setInvalidReason("APP_NOT_VISIBLE");
      return Optional.empty();
    }
    audit.app(app.get().name());
    out.setApp(app.get().name());
    if (parsed.format() == dev.tokenauthority.core.TokenFormat.AGORA_006 && binding.isEmpty()) {
      out.setValidity(Validity.VALIDITY_UNVERIFIED).setInvalidReason("LEGACY_BINDING_REQUIRED");
      return Optional.empty();
    }
    try {
      VerifiedToken<? extends TokenClaims> v = engine.verify(parsed, app.get(), binding, clock.instant(),
          Duration.ZERO, scope.config().maxClockSkew());
      describe(out, v.claims());
      audit.subject(v.claims().subject()).token(v.claims());
      out.setValidity(Validity.VALIDITY_VALID).setMatchedCredential(v.matchedCredential());
      return Optional.of(v.claims());
    } catch (TokenVerificationException e) {
      boolean expired = RenewHandler.isExpiry(e);
      if (!expired && !e.reason().equals(TokenVerificationException.NOT_YET_VALID)) {
        out.setValidity(Validity.VALIDITY_INVALID).setInvalidReason(e.reason());
        return Optional.empty();
      }
      // Authentic but not usable now: show what it says (a not-yet-valid one points at a clock).
      try {
        VerifiedToken<? extends TokenClaims> v = engine.authenticate(parsed, app.get(), binding);
        describe(out, v.claims());
        audit.token(v.claims());
        out.setValidity(expired ? Validity.VALIDITY_EXPIRED : Validity.VALIDITY_INVALID)
            .setInvalidReason(e.reason()).setMatchedCredential(v.matchedCredential());
        return Optional.of(v.claims());
      } catch (TokenException again) {
        out.setValidity(Validity.VALIDITY_INVALID).setInvalidReason(again.reason());
        return Optional.empty();
      }
    } catch (TokenException e) {
      // Opened with our secret but unreadable inside (ZEGO): not a token of this app.
      out.setValidity(Validity.VALIDITY_INVALID).setInvalidReason(e.reason());
      return Optional.empty();
    }
  }

  /**
   * A 006 token carries only CRCs of what it is bound to: without legacy_binding, the intended
   * channel and user (RTM: the RTM user) are what to verify it against.
   */
  private static Optional<LegacyBinding> bindingOf(IntendedUse use, AnyToken parsed) {
    return parsed.asAgora006().flatMap(t -> t.isRtm()
        ? use.rtmUserId().map(user -> new LegacyBinding(user, ""))
        : use.channel().flatMap(c -> use.rtcUserWireText().map(user -> new LegacyBinding(c, user))));
  }

  /**
   * The vendor accepts only an authentic token, so without authentication the answer is no, with
   * what the decoded claims (if readable) would still break.
   */
  private static void judge(InspectTokenResponse.Builder out, IntendedUse use,
      Optional<? extends TokenClaims> authentic, Optional<TokenClaims> decoded) {
    List<Finding> findings = new ArrayList<>();
    if (authentic.isEmpty()) {
      findings.add(unauthenticated(out.getValidity(), out.getInvalidReason()));
    }
    authentic.<TokenClaims>map(c -> c).or(() -> decoded)
        .ifPresent(c -> findings.addAll(UseDiagnoser.diagnose(c, use)));
    out.setWouldAccept(findings.isEmpty()).setJudgedAt(ProtoMapping.timestamp(use.at()));
    findings.forEach(f -> out.addFindings(IntendedUses.finding(f)));
  }

  private static Finding unauthenticated(Validity validity, String reason) {
    if (validity == Validity.VALIDITY_INVALID) {
      return UseDiagnoser.notAuthentic(reason);
    }
    return UseDiagnoser.notVerified(reason, "LEGACY_BINDING_REQUIRED".equals(reason)
        ? "send legacy_binding (channel and uid) to verify a 006 token"
        : "inspect with an app reference you may see, or check the token's app id");
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
