package dev.tokenauthority.core.agora.issue;

import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora.AgoraLimits;
import dev.tokenauthority.core.agora.AgoraValidation;
import dev.tokenauthority.core.agora.PrivilegeMap;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcRole;
import dev.tokenauthority.core.agora.ThreadLocalSalts;
import dev.tokenauthority.core.agora.SignedToken;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora006.LegacyAccessTokenBuilder;
import dev.tokenauthority.core.agora006.LegacyPrivilege;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Builder;
import dev.tokenauthority.core.agora007.ChatService;
import dev.tokenauthority.core.agora007.RtcService;
import dev.tokenauthority.core.agora007.RtmService;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Issues Agora tokens from validated requests. Thread-safe if the random source is (the default
 * {@link ThreadLocalSalts} and SecureRandom are); holds no per-token state.
 *
 * <p>Conventions: "007" packs lifetimes relative to the issue time. "006" sets {@code ts = issued
 * + 86400} and each privilege to {@code issued + lifetime}, or 0 when the lifetime is 0 (a "006"
 * token lifetime of 0 is the vendor default: every privilege 0), or to the overrides' absolute
 * {@code privilegeExpiredTs}. Lifetimes above 24 h are rejected (LIFETIME_TOO_LONG), never clamped.
 */
public final class AgoraTokenIssuer {
  private final Clock clock;
  private final RandomGenerator random;

  public AgoraTokenIssuer(Clock clock, RandomGenerator random) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** System UTC clock and per-thread salts ({@link ThreadLocalSalts}: salts are not secrets). */
  public static AgoraTokenIssuer withSystemDefaults() {
    return new AgoraTokenIssuer(Clock.systemUTC(), ThreadLocalSalts.INSTANCE);
  }

  /** An RTC token ("007" or "006"), optionally with RTM login for the same user ("007"). */
  public SignedToken<TokenClaims> issueRtc(AgoraCredentials app, RtcTokenRequest request) {
    long issued = issuedAt(request.overrides());
    if (request.format() == TokenFormat.AGORA_006) {
      Map<RtcPrivilege, Long> lifetimes = request.effectivePrivilegeLifetimes();
      LegacyAccessTokenBuilder b = legacy(app, request.overrides(), issued)
          .channelName(request.channelName())
          .uid(request.user().wireText());
      lifetimes.forEach((p, seconds) -> b.privilege(p.code(), legacyExpiry(request.overrides(), issued, seconds)));
      return widen(b.sign(app.certificate()));
    }
    refuseLegacyOverride(request.overrides());
    RtcRole role = request.roleOrNull();
    RtcService rtc = role != null
        ? RtcService.withPrivileges(request.channelName(), request.user(), rolePrivileges(role, request.rolePrivilegeSeconds()))
        : RtcService.of(request.channelName(), request.user(), request.effectivePrivilegeLifetimes());
    AccessToken2Builder b = v007(app, request.overrides(), issued, request.lifetimeSeconds()).addService(rtc);
    if (request.includeRtm()) {
      b.addService(RtmService.login(AgoraValidation.FIELD_RTM_USER_ID, request.rtmUserId().orElseThrow(),
          AgoraLimits.MAX_USER_ACCOUNT_BYTES, request.rtmLoginSeconds()));
    }
    String chatUser = request.chatUserUuidOrNull();
    if (chatUser != null) {
      b.addService(ChatService.user(chatUser, request.lifetimeSeconds()));
    }
    return widen(b.sign(app.certificate()));
  }

  /** An RTM login token ("007" or "006"; in "006" the account goes where the channel goes). */
  public SignedToken<TokenClaims> issueRtm(AgoraCredentials app, RtmTokenRequest request) {
    long issued = issuedAt(request.overrides());
    if (request.format() == TokenFormat.AGORA_006) {
      return widen(legacy(app, request.overrides(), issued)
          .channelName(request.userId())
          .uid("")
          .privilege(LegacyPrivilege.RTM_LOGIN, legacyExpiry(request.overrides(), issued, request.loginSeconds()))
          .sign(app.certificate()));
    }
    refuseLegacyOverride(request.overrides());
    return widen(v007(app, request.overrides(), issued, request.lifetimeSeconds())
        .addService(RtmService.login(request.userId(), request.loginSeconds()))
        .sign(app.certificate()));
  }

  /** An Agora Chat user token (by UUID) or app token; always "007". */
  public SignedToken<AccessToken2> issueChat(AgoraCredentials app, ChatTokenRequest request) {
    long issued = issuedAt(request.overrides());
    refuseLegacyOverride(request.overrides());
    ChatService service = request.userUuid()
        .map(uuid -> ChatService.user(uuid, request.privilegeSeconds()))
        .orElseGet(() -> ChatService.app(request.privilegeSeconds()));
    return v007(app, request.overrides(), issued, request.lifetimeSeconds())
        .addService(service)
        .sign(app.certificate());
  }

  /** A "006" privilege's absolute expiry: the builder's own value if given, else issue + lifetime (0 = none). */
  private static long legacyExpiry(IssueOverrides o, long issued, long seconds) {
    if (o.privilegeExpiredTs().isPresent()) {
      return o.privilegeExpiredTs().getAsLong();
    }
    return seconds == 0 ? 0 : issued + seconds;
  }

  private static void refuseLegacyOverride(IssueOverrides o) {
    if (o.privilegeExpiredTs().isPresent()) {
      throw new IllegalArgumentException("privilegeExpiredTs is a \"006\" builder parameter");
    }
  }

  /** The last privilege map built per role: immutable, so tokens of one role and lifetime share it. */
  private record RoleMap(long seconds, PrivilegeMap map) {}

  // Racy by design: a lost update only costs a rebuild; final fields make each entry safe to share.
  private static final RoleMap[] ROLE_MAPS = new RoleMap[RtcRole.values().length];

  /** The role's privileges, each living {@code seconds}, as the RTC service packs them. */
  private static PrivilegeMap rolePrivileges(RtcRole role, long seconds) {
    RoleMap cached = ROLE_MAPS[role.ordinal()];
    if (cached != null && cached.seconds() == seconds) {
      return cached.map();
    }
    int[] keys = new int[role.privileges().size()];
    long[] values = new long[keys.length];
    int n = 0;
    for (RtcPrivilege p : role.privileges()) {
      keys[n] = p.code();
      values[n++] = seconds;
    }
    PrivilegeMap map = PrivilegeMap.of(keys, values, n);
    ROLE_MAPS[role.ordinal()] = new RoleMap(seconds, map);
    return map;
  }

  private long issuedAt(IssueOverrides overrides) {
    return overrides.issuedAt().isPresent()
        ? overrides.issuedAt().getAsLong()
        : AgoraValidation.issuedAt(clock.instant().getEpochSecond());
  }

  private AccessToken2Builder v007(AgoraCredentials app, IssueOverrides o, long issued, long lifetime) {
    AccessToken2Builder b = AccessToken2Builder.create(clock, random)
        .appId(app.appId()).issueTs(issued).expire(lifetime);
    if (o.salt().isPresent()) {
      b.salt(o.salt().getAsLong());
    }
    return b;
  }

  private LegacyAccessTokenBuilder legacy(AgoraCredentials app, IssueOverrides o, long issued) {
    LegacyAccessTokenBuilder b = LegacyAccessTokenBuilder.create(clock, random)
        .appId(app.appId()).ts(issued + LegacyAccessToken.TS_OFFSET_SECONDS);
    o.salt().ifPresent(b::salt);
    return b;
  }

  /** SignedToken is immutable and only hands its claims out, so the wider view is the same object. */
  @SuppressWarnings("unchecked")
  private static SignedToken<TokenClaims> widen(SignedToken<? extends TokenClaims> t) {
    return (SignedToken<TokenClaims>) t;
  }
}
