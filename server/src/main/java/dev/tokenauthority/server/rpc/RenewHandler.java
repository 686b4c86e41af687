package dev.tokenauthority.server.rpc;

import dev.tokenauthority.api.v1.Legacy006Binding;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RenewTokenResponse;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenException;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.detect.AnyToken;
import dev.tokenauthority.server.audit.AuditEvent;
import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.policy.CallScope;
import dev.tokenauthority.server.tokens.ChatAppGrant;
import dev.tokenauthority.server.tokens.ChatUserGrant;
import dev.tokenauthority.server.tokens.EasemobDynamicGrant;
import dev.tokenauthority.server.tokens.Grant;
import dev.tokenauthority.server.tokens.LegacyBinding;
import dev.tokenauthority.server.tokens.Minted;
import dev.tokenauthority.server.tokens.RtcGrant;
import dev.tokenauthority.server.tokens.RtmGrant;
import dev.tokenauthority.server.tokens.TokenEngine;
import dev.tokenauthority.server.tokens.ZimGrant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * RenewToken: parse → find the app → verify (any credential; a token issued more than
 * tokens.max_clock_skew_seconds ahead is FAILED_PRECONDITION TOKEN_NOT_YET_VALID; one that expired
 * less than renewal.grace_seconds ago is accepted, later it is FAILED_PRECONDITION) → re-check the caller's policy exactly as for a fresh issue → mint the same grant with
 * a fresh issue time.
 *
 * <p>Lifetime: an explicit lifetime_seconds above the caller's maximum is refused with
 * INVALID_ARGUMENT LIFETIME_EXCEEDS_POLICY (as for an issue); without one the old token's lifetime
 * is kept, capped at the caller's maximum. Privilege lifetimes (RTC, RTM login, Chat) keep their
 * old relative values, capped at the new token lifetime, so a renewal never widens anything.
 *
 * <p>"006" vendor default (lifetime 0, every privilege 0, valid 24 h): such a token renews to the
 * same form when the caller may issue 24 h (else capped as above); an explicit lifetime_seconds of
 * 0 asks for that form, as for an issue.
 */
final class RenewHandler {
  private final TokenEngine engine;
  private final Clock clock;

  RenewHandler(TokenEngine engine, Clock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  RenewTokenResponse handle(RenewTokenRequest req, CallScope scope, AuditEvent.Builder audit) {
    AnyToken parsed = SubmittedToken.parse(engine, req.getToken(), req.getApp(), audit);
    Optional<LegacyBinding> binding = binding(req.hasLegacyBinding(), req.getLegacyBinding(), parsed);
    AppConfig app = app(req.getApp(), scope, parsed, binding);
    audit.app(app.name());
    Instant now = clock.instant();
    VerifiedToken<? extends TokenClaims> verified;
    try {
      verified = engine.verify(parsed, app, binding, now, scope.config().renewalGrace(),
          scope.config().maxClockSkew());
    } catch (TokenException e) {
      throw CoreErrors.toApi(e, LEGACY_FIELDS);
    }

    audit.token(verified.claims()); // a refusal from here on names the submitted token's claims
    Grant old = engine.grantOf(verified.claims());
    audit.kind(old.kind().id()).subject(old.subject());
    try {
      checkPolicy(scope, old);
    } catch (ApiException e) {
      throw e.withField("token");
    }
    Duration lifetime;
    if (req.hasLifetimeSeconds()) {
      lifetime = AgoraFormats.lifetime(scope, "lifetime_seconds", Optional.of(req.getLifetimeSeconds()),
          AgoraFormats.of(old).orElse(null));
    } else {
      Duration previous = Duration.between(verified.claims().issuedAt(), verified.claims().expiresAt());
      lifetime = scope.capLifetime(previous);
      if (AgoraFormats.isVendorDefault(old) && lifetime.getSeconds() >= AgoraFormats.VENDOR_DEFAULT_SECONDS) {
        lifetime = Duration.ZERO;
      }
    }
    audit.lifetimeSeconds(lifetime.getSeconds());
    Grant grant = capPrivileges(old, AgoraFormats.privilegeBound(lifetime));
    Minted minted;
    try {
      minted = engine.mint(app, grant, now, lifetime);
    } catch (TokenException e) {
      throw CoreErrors.toApi(e, Map.of());
    }
    audit.renewedFrom(verified.claims()).token(minted.claims());
    return RenewTokenResponse.newBuilder()
        .setIssuedToken(ProtoMapping.issued(app.name(), minted.token(), minted.claims()))
        .build();
  }

  private AppConfig app(String name, CallScope scope, AnyToken parsed, Optional<LegacyBinding> binding) {
    if (!name.isEmpty()) {
      AppConfig app = scope.app("app", name);
      if (!TokenApps.belongs(app, parsed)) {
        throw ApiException.permissionDenied("token", "TOKEN_APP_MISMATCH",
            "the token was not issued for app '" + app.name() + "'");
      }
      return app;
    }
    Optional<AppConfig> visible = TokenApps.visible(scope, parsed, engine, binding);
    if (visible.isPresent()) {
      return visible.get();
    }
    if (parsed.appId().isEmpty()) {
      throw ApiException.permissionDenied("token", TokenVerificationException.SIGNATURE_MISMATCH,
          "no app this caller may use can open the token");
    }
    throw TokenApps.matching(scope, parsed).isEmpty()
        ? ApiException.notFound("token", "APP_NOT_FOUND", "no configured app matches the token's app id")
        : ApiException.permissionDenied("token", "APP_NOT_ALLOWED",
            "caller " + scope.caller().id() + " may not use the token's app");
  }

  /** 006 tokens need the binding spelled out; other formats ignore it. */
  static Optional<LegacyBinding> binding(boolean has, Legacy006Binding b, AnyToken parsed) {
    if (parsed.format() != TokenFormat.AGORA_006) {
      return Optional.empty();
    }
    if (!has) {
      throw ApiException.invalidArgument("legacy_binding", "LEGACY_BINDING_REQUIRED",
          "006 tokens carry only CRCs; give legacy_binding.channel_name and legacy_binding.uid");
    }
    return Optional.of(new LegacyBinding(b.getChannelName(), b.getUid()));
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
    } else if (grant instanceof EasemobDynamicGrant) {
      scope.requireCaseInsensitiveUser("user", grant.subject());
    } else if (!grant.subject().isEmpty()) {
      scope.requireUser("user", grant.subject());
    }
  }

  /**
   * Every privilege keeps its lifetime relative to issue, capped at the new token lifetime (which
   * policy already capped); 0 (no own limit, bounded by the token) stays 0.
   */
  private static Grant capPrivileges(Grant grant, long lifetime) {
    if (grant instanceof RtcGrant rtc) {
      Map<Integer, Long> capped = new TreeMap<>();
      rtc.privilegeSeconds().forEach((code, v) -> capped.put(code, cap(v, lifetime)));
      return new RtcGrant(rtc.channel(), rtc.user(), rtc.isAccount(), capped, rtc.rtmUserId(),
          cap(rtc.rtmLoginSeconds(), lifetime), rtc.format());
    }
    if (grant instanceof RtmGrant rtm) {
      return new RtmGrant(rtm.userId(), rtm.format(), cap(rtm.loginSeconds(), lifetime));
    }
    if (grant instanceof ChatUserGrant chat) {
      return new ChatUserGrant(chat.userUuid(), cap(chat.privilegeSeconds(), lifetime));
    }
    if (grant instanceof ChatAppGrant chat) {
      return new ChatAppGrant(cap(chat.privilegeSeconds(), lifetime));
    }
    return grant;
  }

  private static long cap(long seconds, long lifetime) {
    return seconds == 0 ? 0 : Math.min(seconds, lifetime);
  }

  private static OptionalLong cap(OptionalLong seconds, long lifetime) {
    return seconds.isPresent() ? OptionalLong.of(cap(seconds.getAsLong(), lifetime)) : seconds;
  }
}
