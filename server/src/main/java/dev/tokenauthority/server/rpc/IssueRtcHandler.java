package dev.tokenauthority.server.rpc;

import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueRtcTokenResponse;
import dev.tokenauthority.api.v1.RtcPrivilegeLifetimes;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.server.audit.AuditEvent;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.policy.CallScope;
import dev.tokenauthority.server.policy.TokenKind;
import dev.tokenauthority.server.tokens.Minted;
import dev.tokenauthority.server.tokens.PreparedToken;
import dev.tokenauthority.server.tokens.RtcGrant;
import dev.tokenauthority.server.tokens.TokenEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** IssueRtcToken: shape checks, policy, then the core builds and signs the token. */
final class IssueRtcHandler {
  static final Map<String, String> FIELDS = Map.ofEntries(
      Map.entry("channel", "channel_name"), Map.entry("channelname", "channel_name"),
      Map.entry("uid", "uid"), Map.entry("account", "user_account"),
      Map.entry("useraccount", "user_account"), Map.entry("user", "user_account"),
      Map.entry("expire", "lifetime_seconds"), Map.entry("tokenexpire", "lifetime_seconds"),
      Map.entry("lifetime", "lifetime_seconds"), Map.entry("privilegeexpire", "privilege_lifetime_seconds"),
      Map.entry("rtmuserid", "rtm_user_id"), Map.entry("userid", "rtm_user_id"));

  private final TokenEngine engine;
  private final Clock clock;

  IssueRtcHandler(TokenEngine engine, Clock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  IssueRtcTokenResponse handle(IssueRtcTokenRequest req, CallScope scope, AuditEvent.Builder audit) {
    audit.app(req.getApp()).kind(TokenKind.RTC.id());
    AgoraApp app = Apps.require(scope.app("app", req.getApp()), AgoraApp.class, "RTC tokens need an agora app");
    scope.requireKind(TokenKind.RTC);
    TokenFormat format = AgoraFormats.of(req.getFormat());

    String user;
    boolean isAccount;
    switch (req.getUserCase()) {
      case UID -> {
        if (req.getUid() < 0 || req.getUid() > 0xFFFF_FFFFL) {
          throw ApiException.invalidArgument("uid", "UID_OUT_OF_RANGE", "uid must be between 0 and 4294967295");
        }
        user = req.getUid() == 0 ? "" : Long.toString(req.getUid());
        isAccount = false;
      }
      case USER_ACCOUNT -> {
        user = req.getUserAccount();
        isAccount = true;
      }
      default -> throw ApiException.invalidArgument("user", "USER_REQUIRED", "give uid or user_account");
    }
    audit.subject(user);

    Duration lifetime = AgoraFormats.lifetime(scope, "lifetime_seconds",
        optional(req.hasLifetimeSeconds(), req.getLifetimeSeconds()), format);
    audit.lifetimeSeconds(lifetime.getSeconds());
    Map<Integer, Long> privileges = privileges(req, lifetime);

    Optional<String> rtmUser = Optional.empty();
    if (req.getIncludeRtm()) {
      if (format != TokenFormat.AGORA_007) {
        throw ApiException.invalidArgument("include_rtm", "RTM_REQUIRES_007",
            "include_rtm needs format TOKEN_FORMAT_AGORA_007");
      }
      scope.requireKind(TokenKind.RTM);
      String id = req.getRtmUserId().isEmpty() ? user : req.getRtmUserId();
      if (id.isEmpty()) {
        throw ApiException.invalidArgument("rtm_user_id", "RTM_USER_ID_REQUIRED",
            "rtm_user_id is required when include_rtm is set for uid 0");
      }
      // RTM's login rule, the same as IssueRtmToken's: a longer id could never log in.
      if (id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
          > dev.tokenauthority.core.agora.AgoraLimits.MAX_RTM_USER_ID_BYTES) {
        throw ApiException.invalidArgument("rtm_user_id", "USER_ID_TOO_LONG", "rtm_user_id: must be at most "
            + dev.tokenauthority.core.agora.AgoraLimits.MAX_RTM_USER_ID_BYTES + " bytes (RTM's login rule)");
      }
      rtmUser = Optional.of(id);
    } else if (!req.getRtmUserId().isEmpty()) {
      throw ApiException.invalidArgument("rtm_user_id", "RTM_USER_ID_WITHOUT_INCLUDE_RTM",
          "rtm_user_id is only used with include_rtm");
    }

    RtcGrant grant = new RtcGrant(req.getChannelName(), user, isAccount, privileges, rtmUser, format);
    PreparedToken prepared = Minting.prepare(engine, app, grant, clock.instant(), lifetime, FIELDS);
    // Authorise, then sign: the signer never runs for a caller the policy refuses.
    checkPolicy(scope, grant, req.hasPrivilegeLifetimes() ? "privilege_lifetimes" : "role");
    Minted minted = Minting.sign(engine, prepared, FIELDS);
    audit.token(minted.claims());
    return IssueRtcTokenResponse.newBuilder()
        .setIssuedToken(ProtoMapping.issued(app.name(), minted.token(), minted.claims()))
        .build();
  }

  /** Role, channel and user patterns; shared with RenewToken so a renewal is checked like an issue. */
  static void checkPolicy(CallScope scope, RtcGrant grant, String roleField) {
    scope.requireRtcRole(roleField, grant.role());
    scope.requireChannel("channel_name", grant.channel());
    scope.requireUser(grant.isAccount() ? "user_account" : "uid", grant.user());
    if (grant.rtmUserId().isPresent()) {
      scope.requireKind(TokenKind.RTM);
      scope.requireUser("rtm_user_id", grant.rtmUserId().get());
    }
  }

  /** The role's or the explicit privileges; a role's default to the token lifetime (0 for the 006 vendor default). */
  private static Map<Integer, Long> privileges(IssueRtcTokenRequest req, Duration tokenLifetime) {
    long lifetime = AgoraFormats.privilegeBound(tokenLifetime);
    boolean hasRole = req.getRoleValue() != 0;
    if (hasRole && req.hasPrivilegeLifetimes()) {
      throw ApiException.invalidArgument("privilege_lifetimes", "ROLE_AND_PRIVILEGES_EXCLUSIVE",
          "give either role or privilege_lifetimes, not both");
    }
    Map<Integer, Long> out = new LinkedHashMap<>();
    if (req.hasPrivilegeLifetimes()) {
      if (req.hasPrivilegeLifetimeSeconds()) {
        throw ApiException.invalidArgument("privilege_lifetime_seconds", "PRIVILEGE_LIFETIME_WITH_EXPLICIT",
            "privilege_lifetime_seconds applies to a role; privilege_lifetimes already gives each lifetime");
      }
      RtcPrivilegeLifetimes p = req.getPrivilegeLifetimes();
      put(out, 1, p.hasJoinChannelSeconds(), p.getJoinChannelSeconds(), "join_channel_seconds", lifetime);
      put(out, 2, p.hasPublishAudioSeconds(), p.getPublishAudioSeconds(), "publish_audio_seconds", lifetime);
      put(out, 3, p.hasPublishVideoSeconds(), p.getPublishVideoSeconds(), "publish_video_seconds", lifetime);
      put(out, 4, p.hasPublishDataStreamSeconds(), p.getPublishDataStreamSeconds(),
          "publish_data_stream_seconds", lifetime);
      if (out.isEmpty()) {
        throw ApiException.invalidArgument("privilege_lifetimes", "PRIVILEGES_EMPTY",
            "privilege_lifetimes must set at least one privilege");
      }
      return out;
    }
    long seconds = tokenLifetime.getSeconds();
    if (req.hasPrivilegeLifetimeSeconds()) {
      seconds = checkPrivilegeSeconds(req.getPrivilegeLifetimeSeconds(), "privilege_lifetime_seconds", lifetime);
    }
    switch (req.getRole()) {
      case RTC_ROLE_PUBLISHER -> RtcGrant.PUBLISHER.forEach(code -> out.put(code, 0L));
      case RTC_ROLE_SUBSCRIBER -> RtcGrant.SUBSCRIBER.forEach(code -> out.put(code, 0L));
      case RTC_ROLE_UNSPECIFIED -> throw ApiException.invalidArgument("role", "ROLE_REQUIRED",
          "give role (publisher or subscriber) or privilege_lifetimes");
      default -> throw ApiException.invalidArgument("role", "ROLE_UNKNOWN", "unknown role value " + req.getRoleValue());
    }
    long s = seconds;
    out.replaceAll((code, v) -> s);
    return out;
  }

  private static void put(Map<Integer, Long> out, int code, boolean has, long value, String name, long lifetime) {
    if (has) {
      out.put(code, checkPrivilegeSeconds(value, "privilege_lifetimes." + name, lifetime));
    }
  }

  private static long checkPrivilegeSeconds(long value, String field, long lifetime) {
    if (value < 0) {
      throw ApiException.invalidArgument(field, "PRIVILEGE_LIFETIME_NEGATIVE", field + " must not be negative");
    }
    if (value > lifetime) {
      throw ApiException.invalidArgument(field, "PRIVILEGE_LIFETIME_EXCEEDS_TOKEN",
          field + " must not exceed the token lifetime (" + lifetime + " s)");
    }
    return value;
  }

  static Optional<Long> optional(boolean has, long value) {
    return has ? Optional.of(value) : Optional.empty();
  }
}
