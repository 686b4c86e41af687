package dev.tokenauthority.server.rpc;

import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RenewTokenResponse;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenException;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.server.audit.AuditEvent;
import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.policy.CallScope;
import dev.tokenauthority.server.tokens.Grant;
import dev.tokenauthority.server.tokens.LegacyBinding;
import dev.tokenauthority.server.tokens.Minted;
import dev.tokenauthority.server.tokens.RtcGrant;
import dev.tokenauthority.server.tokens.TokenEngine;
import dev.tokenauthority.server.tokens.ZimGrant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * RenewToken: parse → find the app → verify (any credential; expired within the renewal grace is
 * accepted) → re-check the caller's policy exactly as for a fresh issue → mint the same grant with
 * a fresh issue time.
 *
 * <p>Lifetime: an explicit lifetime_seconds above the caller's maximum is refused with
 * INVALID_ARGUMENT LIFETIME_EXCEEDS_POLICY (as for an issue); without one the old token's lifetime
 * is kept, capped at the caller's maximum. Privilege lifetimes keep their old relative values,
 * capped at the new token lifetime, so a renewal never widens anything.
 */
final class RenewHandler {
  private final TokenEngine engine;
  private final Clock clock;

  RenewHandler(TokenEngine engine, Clock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  RenewTokenResponse handle(RenewTokenRequest req, CallScope scope, AuditEvent.Builder audit) {
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
    AppConfig app = app(req.getApp(), scope, parsed);
    audit.app(app.name());
    Optional<LegacyBinding> binding = binding(req, parsed);
    Instant now = clock.instant();
    VerifiedToken<? extends TokenClaims> verified = verify(parsed, app, binding, now, scope.config().renewalGrace());

    Grant old = engine.grantOf(verified.claims(), binding);
    audit.kind(old.kind().id()).subject(old.subject());
    try {
      checkPolicy(scope, old);
    } catch (ApiException e) {
      throw e.withField("token");
    }
    Duration lifetime;
    if (req.hasLifetimeSeconds()) {
      lifetime = scope.lifetime("lifetime_seconds", Optional.of(req.getLifetimeSeconds()));
    } else {
      Instant issued = verified.claims().issuedAt();
      Duration previous = Duration.between(issued, verified.claims().expiresAt());
      lifetime = scope.capLifetime(previous);
    }
    audit.lifetimeSeconds(lifetime.getSeconds());
    Grant grant = capPrivileges(old, lifetime.getSeconds());
    Minted minted;
    try {
      minted = engine.mint(app, grant, now, lifetime);
    } catch (TokenException e) {
      throw CoreErrors.toApi(e, Map.of("expire", "lifetime_seconds", "lifetime", "lifetime_seconds",
          "tokenexpire", "lifetime_seconds"));
    }
    audit.token(minted.token());
    return RenewTokenResponse.newBuilder()
        .setIssuedToken(ProtoMapping.issued(app.name(), minted.token(), minted.claims()))
        .build();
  }

  private static AppConfig app(String name, CallScope scope, TokenClaims parsed) {
    if (!name.isEmpty()) {
      AppConfig app = scope.app("app", name);
      if (!TokenApps.belongs(app, parsed)) {
        throw ApiException.permissionDenied("token", "TOKEN_APP_MISMATCH",
            "the token was not issued for app '" + app.name() + "'");
      }
      return app;
    }
    List<AppConfig> matching = TokenApps.matching(scope, parsed);
    return matching.stream().filter(scope::canSee).findFirst().orElseThrow(() -> matching.isEmpty()
        ? ApiException.notFound("token", "APP_NOT_FOUND", "no configured app matches the token's app id")
        : ApiException.permissionDenied("token", "APP_NOT_ALLOWED",
            "caller " + scope.caller().id() + " may not use the token's app"));
  }

  static Optional<LegacyBinding> binding(RenewTokenRequest req, TokenClaims parsed) {
    if (parsed.format() != TokenFormat.AGORA_006) {
      return Optional.empty();
    }
    if (!req.hasLegacyBinding()) {
      throw ApiException.invalidArgument("legacy_binding", "LEGACY_BINDING_REQUIRED",
          "006 tokens carry only CRCs; give legacy_binding.channel_name and legacy_binding.uid");
    }
    return Optional.of(new LegacyBinding(req.getLegacyBinding().getChannelName(), req.getLegacyBinding().getUid()));
  }

  private VerifiedToken<? extends TokenClaims> verify(
      TokenClaims parsed, AppConfig app, Optional<LegacyBinding> binding, Instant now, Duration grace) {
    try {
      return engine.verify(parsed, app, binding, now);
    } catch (TokenVerificationException e) {
      if (!isExpiry(e)) {
        throw CoreErrors.toApi(e, Map.of());
      }
      if (now.isAfter(parsed.expiresAt().plus(grace))) {
        throw ApiException.failedPrecondition("token", "TOKEN_EXPIRED_BEYOND_GRACE",
            "the token expired more than " + grace.getSeconds() + " s ago; issue a new one");
      }
    } catch (TokenException e) {
      throw CoreErrors.toApi(e, LEGACY_FIELDS);
    }
    // Expired (or a privilege expired) within the grace: prove authenticity as of issue time.
    try {
      return engine.verify(parsed, app, binding, parsed.issuedAt());
    } catch (TokenException e) {
      throw CoreErrors.toApi(e, LEGACY_FIELDS);
    }
  }

  static final Map<String, String> LEGACY_FIELDS = Map.of(
      "channel", "legacy_binding.channel_name", "channelname", "legacy_binding.channel_name",
      "uid", "legacy_binding.uid", "binding", "legacy_binding");

  static boolean isExpiry(TokenVerificationException e) {
    return e.reason().equals(TokenVerificationException.TOKEN_EXPIRED)
        || e.reason().equals(TokenVerificationException.PRIVILEGE_EXPIRED);
  }

  /** The same checks an issue of this grant would face. */
  private static void checkPolicy(CallScope scope, Grant grant) {
    scope.requireKind(grant.kind());
    if (grant instanceof RtcGrant rtc) {
      IssueRtcHandler.checkPolicy(scope, rtc, "role");
    } else if (grant instanceof ZimGrant zim) {
      IssueZimHandler.checkPolicy(scope, zim);
    } else if (!grant.subject().isEmpty()) {
      scope.requireUser("user", grant.subject());
    }
  }

  private static Grant capPrivileges(Grant grant, long lifetime) {
    if (!(grant instanceof RtcGrant rtc)) {
      return grant;
    }
    Map<Integer, Long> capped = new TreeMap<>();
    rtc.privilegeSeconds().forEach((code, v) -> capped.put(code, v == 0 ? 0 : Math.min(v, lifetime)));
    return new RtcGrant(rtc.channel(), rtc.user(), rtc.isAccount(), capped, rtc.rtmUserId(), rtc.format());
  }
}
