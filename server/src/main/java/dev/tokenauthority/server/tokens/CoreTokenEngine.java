package dev.tokenauthority.server.tokens;

import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.agora.AgoraLimits;
import dev.tokenauthority.core.agora.AgoraValidation;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcUser;
import dev.tokenauthority.core.agora.SignedToken;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora006.LegacyAccessTokenBuilder;
import dev.tokenauthority.core.agora006.LegacyAccessTokenVerifier;
import dev.tokenauthority.core.agora006.LegacyPrivilege;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Builder;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.agora007.ChatService;
import dev.tokenauthority.core.agora007.RtcService;
import dev.tokenauthority.core.agora007.RtmService;
import dev.tokenauthority.core.agora007.Service;
import dev.tokenauthority.core.detect.AnyToken;
import dev.tokenauthority.core.easemobdt.ClientCredential;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.easemobdt.DynamicTokenVerifier;
import dev.tokenauthority.core.zego04.Token04Verifier;
import dev.tokenauthority.core.zego04.ZegoRoomPrivileges;
import dev.tokenauthority.core.zego04.ZegoToken04;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.config.EasemobApp;
import dev.tokenauthority.server.config.ZegoApp;
import dev.tokenauthority.server.errors.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link TokenEngine} over the token core: builders, the {@link AnyToken} parse facade and the
 * per-format verifiers. Stateless and thread-safe; verifiers are made per call with a fixed clock
 * (cheap objects), so "as of now, with this grace" is explicit.
 *
 * <p>Legacy 006: the token lifetime bounds every privilege (a privilege lifetime of 0 is packed as
 * issue time + token lifetime, not as "no limit"), because 006 has no token expiry of its own
 * besides the vendor's fixed issue + 24 h.
 */
public final class CoreTokenEngine implements TokenEngine {
  /** A moment before every expiry: verifying "as of" it checks authenticity only. */
  private static final Clock BEFORE_ALL_EXPIRIES = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

  @Override
  public Minted mint(AppConfig app, Grant grant, Instant issuedAt, Duration lifetime) {
    long now = issuedAt.getEpochSecond();
    long life = lifetime.getSeconds();
    if (grant instanceof RtcGrant rtc) {
      AgoraApp agora = (AgoraApp) app;
      return rtc.format() == TokenFormat.AGORA_006 ? rtc006(agora, rtc, now, life) : rtc007(agora, rtc, now, life);
    }
    if (grant instanceof RtmGrant rtm) {
      AgoraApp agora = (AgoraApp) app;
      if (rtm.format() == TokenFormat.AGORA_006) {
        AgoraValidation.rtmUserId(AgoraValidation.FIELD_USER_ID, rtm.userId(), AgoraLimits.MAX_RTM_USER_ID_BYTES);
        AgoraValidation.tokenLifetime(AgoraValidation.FIELD_LIFETIME, life);
        return minted(LegacyAccessTokenBuilder.create().appId(agora.appId()).channelName(rtm.userId()).uid("")
            .ts(now + LegacyAccessToken.TS_OFFSET_SECONDS).privilege(LegacyPrivilege.RTM_LOGIN, now + life)
            .sign(agora.primary()));
      }
      return minted(agora007(agora, now, life).addService(RtmService.login(rtm.userId(), life)).sign(agora.primary()));
    }
    if (grant instanceof ChatUserGrant chat) {
      AgoraApp agora = (AgoraApp) app;
      return minted(agora007(agora, now, life).addService(ChatService.user(chat.userUuid(), life)).sign(agora.primary()));
    }
    if (grant instanceof ChatAppGrant) {
      AgoraApp agora = (AgoraApp) app;
      return minted(agora007(agora, now, life).addService(ChatService.app(life)).sign(agora.primary()));
    }
    if (grant instanceof ZimGrant zim) {
      ZegoApp zego = (ZegoApp) app;
      var b = ZegoToken04.builder().appId(zego.appId()).serverSecret(zego.primary()).userId(zim.userId())
          .lifetimeSeconds(life).issuedAt(now);
      zim.room().ifPresent(r -> b.room(new ZegoRoomPrivileges(r.roomId(), r.canLogin(), r.canPublish(), r.streamIds())));
      ZegoToken04 t = b.build();
      return new Minted(t.token(), t);
    }
    if (grant instanceof EasemobDynamicGrant dt) {
      EasemobApp easemob = (EasemobApp) app;
      DynamicToken t = DynamicToken.builder().appKey(easemob.appKey()).clientId(easemob.clientId())
          .clientSecret(easemob.primary()).userId(dt.userId()).ttlSeconds(life).issuedAt(now).build();
      return new Minted(t.token(), t);
    }
    throw new IllegalArgumentException("unsupported grant " + grant.getClass().getSimpleName());
  }

  private static AccessToken2Builder agora007(AgoraApp app, long now, long life) {
    return AccessToken2Builder.create().appId(app.appId()).issueTs(now).expire(life);
  }

  private static Minted rtc007(AgoraApp app, RtcGrant g, long now, long life) {
    Map<RtcPrivilege, Long> privileges = new EnumMap<>(RtcPrivilege.class);
    g.privilegeSeconds().forEach((code, v) -> privileges.put(RtcPrivilege.ofCode(code).orElseThrow(), v));
    AccessToken2Builder b = agora007(app, now, life).addService(RtcService.of(g.channel(), user(g), privileges));
    g.rtmUserId().ifPresent(id -> b.addService(
        RtmService.login(AgoraValidation.FIELD_RTM_USER_ID, id, AgoraLimits.MAX_USER_ACCOUNT_BYTES, life)));
    return minted(b.sign(app.primary()));
  }

  private static Minted rtc006(AgoraApp app, RtcGrant g, long now, long life) {
    AgoraValidation.channelName(g.channel());
    RtcUser user = user(g);
    AgoraValidation.tokenLifetime(AgoraValidation.FIELD_LIFETIME, life);
    LegacyAccessTokenBuilder b = LegacyAccessTokenBuilder.create().appId(app.appId()).channelName(g.channel())
        .uid(user.wireText()).ts(now + LegacyAccessToken.TS_OFFSET_SECONDS);
    g.privilegeSeconds().forEach((code, v) -> b.privilege(code, now + (v == 0 ? life : v)));
    return minted(b.sign(app.primary()));
  }

  private static RtcUser user(RtcGrant g) {
    if (g.isAccount()) {
      return RtcUser.account(g.user());
    }
    return RtcUser.uid(g.user().isEmpty() ? 0 : Long.parseLong(g.user()));
  }

  private static Minted minted(SignedToken<? extends TokenClaims> t) {
    return new Minted(t.token(), t.claims());
  }

  @Override
  public AnyToken parse(String token) {
    return AnyToken.parse(token);
  }

  @Override
  public VerifiedToken<? extends TokenClaims> verify(
      AnyToken token, AppConfig app, Optional<LegacyBinding> binding, Instant now, Duration grace) {
    return check(token, app, binding, Clock.fixed(now, ZoneOffset.UTC), grace, false);
  }

  @Override
  public VerifiedToken<? extends TokenClaims> authenticate(
      AnyToken token, AppConfig app, Optional<LegacyBinding> binding) {
    return check(token, app, binding, BEFORE_ALL_EXPIRIES, Duration.ZERO, true);
  }

  private static VerifiedToken<? extends TokenClaims> check(AnyToken token, AppConfig app,
      Optional<LegacyBinding> binding, Clock clock, Duration grace, boolean ignoreClock) {
    List<Secret> creds = app.credentials();
    switch (token.format()) {
      case AGORA_007 -> {
        AccessToken2 t = token.asAgora007().orElseThrow();
        requireApp(app, t.appId());
        return new AccessToken2Verifier(clock).verify(t, creds, grace);
      }
      case AGORA_006 -> {
        LegacyAccessToken t = token.asAgora006().orElseThrow();
        requireApp(app, t.appId());
        LegacyBinding b = binding.orElseThrow(() -> ApiException.invalidArgument("legacy_binding",
            "LEGACY_BINDING_REQUIRED", "006 tokens need legacy_binding to be verified"));
        return new LegacyAccessTokenVerifier(clock).verify(t, b.channelName(), b.uid(), creds, grace);
      }
      case ZEGO_04 -> {
        ZegoApp zego = (ZegoApp) app;
        Token04Verifier v = Token04Verifier.builder().serverSecrets(creds).clock(clock)
            .expectedAppId(zego.appId()).build();
        var envelope = token.asZego04().orElseThrow();
        return ignoreClock ? v.decrypt(envelope) : v.verify(envelope, grace);
      }
      case EASEMOB_DT -> {
        EasemobApp easemob = (EasemobApp) app;
        DynamicTokenVerifier v = DynamicTokenVerifier.builder()
            .credentials(creds.stream().map(s -> new ClientCredential(easemob.clientId(), s)).toList())
            .clock(clock).expectedAppKey(easemob.appKey()).build();
        DynamicToken t = token.asEasemobDynamic().orElseThrow();
        return ignoreClock ? v.checkSignature(t) : v.verify(t, grace);
      }
      default -> throw new IllegalStateException("unknown format " + token.format());
    }
  }

  private static void requireApp(AppConfig app, String tokenAppId) {
    if (!app.tokenAppId().equals(tokenAppId)) {
      throw new dev.tokenauthority.core.TokenVerificationException("APP_ID_MISMATCH",
          "the token names another app id");
    }
  }

  @Override
  public Grant grantOf(TokenClaims claims) {
    if (claims instanceof AccessToken2 t) {
      return grantOf007(t);
    }
    if (claims instanceof LegacyAccessToken t) {
      LegacyAccessToken.Binding b = t.binding().orElseThrow(() -> new IllegalStateException("unverified 006"));
      if (t.isRtm()) {
        return new RtmGrant(b.channelName(), TokenFormat.AGORA_006);
      }
      long issued = t.issuedAt().getEpochSecond();
      Map<Integer, Long> privileges = new TreeMap<>();
      for (var e : t.privilegeMap().entrySet()) {
        if (RtcPrivilege.ofCode(e.getKey()).isEmpty()) {
          throw notRenewable("the 006 token carries privileges this authority does not issue");
        }
        long at = e.getValue();
        privileges.put(e.getKey(), at == 0 ? 0 : clampRelative(at - issued));
      }
      return new RtcGrant(b.channelName(), b.uid(), !isUidText(b.uid()), privileges, Optional.empty(),
          TokenFormat.AGORA_006);
    }
    if (claims instanceof ZegoToken04 t) {
      return new ZimGrant(t.userId(), t.room().map(r ->
          new ZimGrant.Room(r.roomId(), r.canLogin(), r.canPublish(), r.streamIds())));
    }
    if (claims instanceof DynamicToken t) {
      return new EasemobDynamicGrant(t.userId());
    }
    throw notRenewable("unsupported token type");
  }

  private static Grant grantOf007(AccessToken2 t) {
    Optional<RtcService> rtc = t.rtc();
    Optional<RtmService> rtm = t.rtm();
    Optional<ChatService> chat = t.chat();
    int known = (rtc.isPresent() ? 1 : 0) + (rtm.isPresent() ? 1 : 0) + (chat.isPresent() ? 1 : 0);
    if (known != t.services().size()) {
      throw notRenewable("the token carries services this authority does not issue");
    }
    if (rtc.isPresent()) {
      RtcService s = rtc.get();
      if (chat.isPresent() || !s.privileges().keySet().stream().allMatch(c -> RtcPrivilege.ofCode(c).isPresent())) {
        throw notRenewable("the token's RTC privileges are not ones this authority issues");
      }
      return new RtcGrant(s.channelName(), s.uid(), !isUidText(s.uid()), s.privileges(),
          rtm.map(RtmService::userId), TokenFormat.AGORA_007);
    }
    if (rtm.isPresent() && chat.isEmpty()) {
      return new RtmGrant(rtm.get().userId(), TokenFormat.AGORA_007);
    }
    if (chat.isPresent() && rtm.isEmpty()) {
      Map<Integer, Long> p = chat.get().privileges();
      if (p.keySet().equals(java.util.Set.of(ChatService.USER))) {
        return new ChatUserGrant(chat.get().userId());
      }
      if (p.keySet().equals(java.util.Set.of(ChatService.APP))) {
        return new ChatAppGrant();
      }
    }
    throw notRenewable("the token's combination of services is not one this authority issues");
  }

  /** "" (uid 0) or a decimal u32 without leading zeros: packed the same as the numeric uid. */
  static boolean isUidText(String s) {
    if (s.isEmpty()) {
      return true;
    }
    if (s.length() > 10 || (s.length() > 1 && s.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return Long.parseLong(s) <= AgoraLimits.MAX_UID;
  }

  private static long clampRelative(long seconds) {
    return Math.max(1, Math.min(seconds, AgoraLimits.MAX_LIFETIME_SECONDS));
  }

  private static ApiException notRenewable(String message) {
    return ApiException.failedPrecondition("token", "TOKEN_NOT_RENEWABLE", message);
  }
}
