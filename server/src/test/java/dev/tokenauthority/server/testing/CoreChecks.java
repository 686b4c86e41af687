package dev.tokenauthority.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.GrantedPrivilege;
import dev.tokenauthority.api.v1.InspectTokenResponse;
import dev.tokenauthority.api.v1.IssuedToken;
import dev.tokenauthority.api.v1.Validity;
import dev.tokenauthority.core.Privilege;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora006.LegacyAccessTokenVerifier;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.easemobdt.ClientCredential;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.easemobdt.DynamicTokenVerifier;
import dev.tokenauthority.core.zego04.Token04Verifier;
import dev.tokenauthority.core.zego04.ZegoRoomPrivileges;
import dev.tokenauthority.core.zego04.ZegoToken04;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.config.EasemobApp;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.config.ZegoApp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads what the server handed out with the token core (each format's verifier, the app's
 * credentials, expected app id or key, and a clock fixed at the test clock's current instant) and
 * asserts claims against requests. Shared by the end-to-end tests, so a token is checked the same
 * way over plaintext and over mTLS.
 */
public final class CoreChecks {
  private final Clock clock;
  private final AgoraApp agora;
  private final ZegoApp zego;
  private final EasemobApp easemob;

  /** {@code config} must hold exactly one app per vendor. */
  public CoreChecks(ServerConfig config, Clock clock) {
    this.clock = clock;
    this.agora = only(config, AgoraApp.class);
    this.zego = only(config, ZegoApp.class);
    this.easemob = only(config, EasemobApp.class);
  }

  private static <T extends AppConfig> T only(ServerConfig config, Class<T> type) {
    List<T> apps = config.apps().values().stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(apps).as("apps of type %s", type.getSimpleName()).hasSize(1);
    return apps.get(0);
  }

  /** The test clock's current instant, fixed: what the server used as "now" for the last call. */
  public Clock now() {
    return Clock.fixed(clock.instant(), ZoneOffset.UTC);
  }

  public long nowSeconds() {
    return clock.instant().getEpochSecond();
  }

  // ---- verification with the core ----

  public AccessToken2 agora007(IssuedToken t) {
    assertThat(t.getFormat()).isEqualTo(dev.tokenauthority.api.v1.TokenFormat.TOKEN_FORMAT_AGORA_007);
    VerifiedToken<AccessToken2> v = new AccessToken2Verifier(now()).verify(t.getToken(), agora.credentials());
    assertThat(v.claims().appId()).isEqualTo(agora.appId());
    return envelope(t, agora.name(), v);
  }

  /** 006 carries only CRCs of channel and uid: it verifies against the binding it was issued for. */
  public LegacyAccessToken agora006(IssuedToken t, String channel, String uid) {
    assertThat(t.getFormat()).isEqualTo(dev.tokenauthority.api.v1.TokenFormat.TOKEN_FORMAT_AGORA_006);
    VerifiedToken<LegacyAccessToken> v = new LegacyAccessTokenVerifier(now())
        .verify(LegacyAccessToken.parse(t.getToken()), channel, uid, agora.credentials());
    assertThat(v.claims().appId()).isEqualTo(agora.appId());
    // The vendor's convention: the message ts is issue + 24 h whatever the privileges say.
    assertThat(v.claims().ts()).isEqualTo(nowSeconds() + LegacyAccessToken.TS_OFFSET_SECONDS);
    return envelope(t, agora.name(), v);
  }

  /** Token04 has no MAC: only an expected app id makes decrypting one a verification. */
  public ZegoToken04 zego(IssuedToken t) {
    assertThat(t.getFormat()).isEqualTo(dev.tokenauthority.api.v1.TokenFormat.TOKEN_FORMAT_ZEGO_04);
    VerifiedToken<ZegoToken04> v = Token04Verifier.builder().serverSecrets(zego.credentials()).clock(now())
        .expectedAppId(zego.appId()).build().verify(t.getToken());
    assertThat(v.claims().zegoAppId()).isEqualTo(zego.appId());
    return envelope(t, zego.name(), v);
  }

  public DynamicToken easemob(IssuedToken t) {
    assertThat(t.getFormat()).isEqualTo(dev.tokenauthority.api.v1.TokenFormat.TOKEN_FORMAT_EASEMOB_DYNAMIC);
    VerifiedToken<DynamicToken> v = DynamicTokenVerifier.builder()
        .credential(new ClientCredential(easemob.clientId(), easemob.primary()))
        .expectedAppKey(easemob.appKey()).clock(now()).build().verify(t.getToken());
    assertThat(v.claims().appKey()).isEqualTo(easemob.appKey());
    return envelope(t, easemob.name(), v);
  }

  /** Signed with the primary credential, issued now, and the response's times are the token's. */
  private <T extends TokenClaims> T envelope(IssuedToken t, String app, VerifiedToken<T> v) {
    T c = v.claims();
    assertThat(v.matchedCredential()).isEqualTo("primary");
    assertThat(t.getApp()).isEqualTo(app);
    assertThat(c.issuedAt().getEpochSecond()).as("issued at the fixed clock").isEqualTo(nowSeconds());
    assertThat(t.getIssuedAt()).isEqualTo(timestamp(c.issuedAt()));
    assertThat(t.getExpiresAt()).isEqualTo(timestamp(c.expiresAt()));
    assertThat(t.getEarliestExpiry()).isEqualTo(timestamp(c.earliestExpiry()));
    return c;
  }

  // ---- claims against the request ----

  /** expires_at = now + lifetime. */
  public void assertLifetime(IssuedToken t, long lifetimeSeconds) {
    assertThat(t.getIssuedAt().getSeconds()).isEqualTo(nowSeconds());
    assertThat(t.getExpiresAt().getSeconds()).isEqualTo(nowSeconds() + lifetimeSeconds);
  }

  public void assertEarliestExpiry(IssuedToken t, long secondsFromNow) {
    assertThat(t.getEarliestExpiry().getSeconds()).isEqualTo(nowSeconds() + secondsFromNow);
  }

  /** Privilege codes with their lifetime relative to issue (0: no limit of its own). */
  public static void assertRtc(AccessToken2 c, String channel, String uid, Map<Integer, Long> privileges) {
    var rtc = c.rtc().orElseThrow();
    assertThat(rtc.channelName()).isEqualTo(channel);
    assertThat(rtc.uid()).isEqualTo(uid);
    assertThat(rtc.privileges()).isEqualTo(privileges);
  }

  public static void assertRtm(AccessToken2 c, String userId, long loginSeconds) {
    var rtm = c.rtm().orElseThrow();
    assertThat(rtm.userId()).isEqualTo(userId);
    assertThat(rtm.privileges()).isEqualTo(Map.of(1, loginSeconds));
  }

  /** User tokens carry privilege 1 with the user UUID; app tokens privilege 2 and no user. */
  public static void assertChat(AccessToken2 c, String userUuid, Map<Integer, Long> privileges) {
    var chat = c.chat().orElseThrow();
    assertThat(chat.userId()).isEqualTo(userUuid);
    assertThat(chat.privileges()).isEqualTo(privileges);
  }

  /** 006 privileges expire at absolute times: now + each relative lifetime given here. */
  public void assertLegacyPrivileges(LegacyAccessToken l, Map<Integer, Long> relative) {
    Map<Integer, Long> absolute = new TreeMap<>();
    relative.forEach((code, seconds) -> absolute.put(code, nowSeconds() + seconds));
    assertThat(l.privilegeMap()).isEqualTo(absolute);
  }

  public void assertZego(ZegoToken04 z, String userId, long lifetime, Optional<ZegoRoomPrivileges> room) {
    assertThat(z.userId()).isEqualTo(userId);
    assertThat(z.ctimeSeconds()).isEqualTo(nowSeconds());
    assertThat(z.expireSeconds()).isEqualTo(nowSeconds() + lifetime);
    assertThat(z.room()).isEqualTo(room);
  }

  public void assertEasemob(DynamicToken d, String userId, long ttl) {
    assertThat(d.userId()).isEqualTo(userId);
    assertThat(d.curTime()).isEqualTo(nowSeconds());
    assertThat(d.ttlSeconds()).isEqualTo(ttl);
  }

  // ---- InspectToken and RenewToken against the core ----

  /** A valid token's inspection says exactly what the core reads from it, and no secret. */
  public void assertInspection(InspectTokenResponse r, String app, TokenClaims c) {
    assertThat(r.getValidity()).as(r.getInvalidReason()).isEqualTo(Validity.VALIDITY_VALID);
    assertThat(r.getInvalidReason()).isEmpty();
    assertThat(r.getMatchedCredential()).isEqualTo("primary");
    assertThat(r.getFormat()).isEqualTo(format(c.format()));
    assertThat(r.getApp()).isEqualTo(app);
    assertThat(r.getAppId()).isEqualTo(c.appId());
    assertThat(r.getSubject()).isEqualTo(c.subject());
    assertThat(r.getChannel()).isEqualTo(c.channel().orElse(""));
    assertThat(r.getIssuedAt()).isEqualTo(timestamp(c.issuedAt()));
    assertThat(r.getExpiresAt()).isEqualTo(timestamp(c.expiresAt()));
    assertThat(r.getPrivilegesList()).isEqualTo(c.privileges().stream().map(CoreChecks::granted).toList());
    for (var secret : List.of(agora.primary(), zego.credentials().get(0), easemob.primary())) {
      assertThat(r.toString()).doesNotContain(secret.reveal());
    }
  }

  /**
   * A renewal names the same app, subject, channel and privileges; every privilege and the token
   * keep their lifetime relative to issue, and the new issue time is {@code elapsed} later.
   */
  public static void assertRenewal(TokenClaims old, TokenClaims renewed, Duration elapsed) {
    assertThat(renewed.format()).isEqualTo(old.format());
    assertThat(renewed.appId()).isEqualTo(old.appId());
    assertThat(renewed.subject()).isEqualTo(old.subject());
    assertThat(renewed.channel()).isEqualTo(old.channel());
    assertThat(renewed.issuedAt()).isEqualTo(old.issuedAt().plus(elapsed));
    assertThat(Duration.between(renewed.issuedAt(), renewed.expiresAt()))
        .isEqualTo(Duration.between(old.issuedAt(), old.expiresAt()));
    assertThat(relative(renewed)).isEqualTo(relative(old));
  }

  private static List<String> relative(TokenClaims c) {
    return c.privileges().stream().map(p -> p.service() + "/" + p.name() + "/" + p.code() + "/"
        + p.expiresAt().map(at -> Duration.between(c.issuedAt(), at).toString()).orElse("no own limit")).toList();
  }

  private static GrantedPrivilege granted(Privilege p) {
    GrantedPrivilege.Builder b = GrantedPrivilege.newBuilder().setService(p.service()).setName(p.name())
        .setCode(p.code());
    p.expiresAt().ifPresent(at -> b.setExpiresAt(timestamp(at)));
    return b.build();
  }

  private static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  private static dev.tokenauthority.api.v1.TokenFormat format(TokenFormat f) {
    return switch (f) {
      case AGORA_007 -> dev.tokenauthority.api.v1.TokenFormat.TOKEN_FORMAT_AGORA_007;
      case AGORA_006 -> dev.tokenauthority.api.v1.TokenFormat.TOKEN_FORMAT_AGORA_006;
      case ZEGO_04 -> dev.tokenauthority.api.v1.TokenFormat.TOKEN_FORMAT_ZEGO_04;
      case EASEMOB_DT -> dev.tokenauthority.api.v1.TokenFormat.TOKEN_FORMAT_EASEMOB_DYNAMIC;
    };
  }
}
