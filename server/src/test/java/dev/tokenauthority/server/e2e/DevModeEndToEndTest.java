package dev.tokenauthority.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AgoraChatApp;
import dev.tokenauthority.api.v1.AgoraChatUser;
import dev.tokenauthority.api.v1.EasemobUser;
import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.InspectTokenResponse;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.IssuedToken;
import dev.tokenauthority.api.v1.Legacy006Binding;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.api.v1.TokenFormat;
import dev.tokenauthority.api.v1.Validity;
import dev.tokenauthority.api.v1.ZegoRoomPrivileges;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora006.LegacyAccessTokenVerifier;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.easemobdt.ClientCredential;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.easemobdt.DynamicTokenVerifier;
import dev.tokenauthority.core.zego04.Token04Verifier;
import dev.tokenauthority.core.zego04.ZegoToken04;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.config.DevelopmentConfig;
import dev.tokenauthority.server.config.EasemobApp;
import dev.tokenauthority.server.config.ZegoApp;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.TestServer;
import dev.tokenauthority.testing.MutableClock;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every RPC over a real socket against the development default; tokens checked with the core. */
@ExtendWith(LogCapture.class)
class DevModeEndToEndTest {
  static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  static TestServer server;
  static ManagedChannel channel;
  static TokenAuthorityServiceBlockingStub stub;
  static AgoraApp agora;
  static ZegoApp zego;
  static EasemobApp easemob;

  @BeforeAll
  static void start() throws Exception {
    var cfg = DevelopmentConfig.create(new SecureRandom());
    server = TestServer.start(cfg, CLOCK);
    channel = server.plaintextChannel();
    stub = server.stub(channel);
    agora = (AgoraApp) cfg.apps().get("agora");
    zego = (ZegoApp) cfg.apps().get("zego");
    easemob = (EasemobApp) cfg.apps().get("easemob");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static Clock now() {
    return Clock.fixed(CLOCK.instant(), ZoneOffset.UTC);
  }

  static void assertTimes(IssuedToken t, Instant issued, long lifetime) {
    assertThat(t.getIssuedAt().getSeconds()).isEqualTo(issued.getEpochSecond());
    assertThat(t.getExpiresAt().getSeconds()).isEqualTo(issued.getEpochSecond() + lifetime);
  }

  @Test
  void rtcPublisher007CarriesExactlyTheRequestedClaims() {
    IssuedToken t = stub.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("agora").setChannelName("room-1")
        .setUid(2882341273L).setRole(RtcRole.RTC_ROLE_PUBLISHER).setLifetimeSeconds(600).build()).getIssuedToken();
    assertThat(t.getFormat()).isEqualTo(TokenFormat.TOKEN_FORMAT_AGORA_007);
    assertThat(t.getApp()).isEqualTo("agora");
    VerifiedToken<AccessToken2> v = new AccessToken2Verifier(now()).verify(t.getToken(), agora.credentials());
    AccessToken2 c = v.claims();
    assertThat(v.matchedCredential()).isEqualTo("primary");
    assertThat(c.appId()).isEqualTo(agora.appId());
    assertThat(c.expire()).isEqualTo(600);
    assertThat(c.services()).hasSize(1);
    assertThat(c.rtc().orElseThrow().channelName()).isEqualTo("room-1");
    assertThat(c.rtc().orElseThrow().uid()).isEqualTo("2882341273");
    assertThat(c.rtc().orElseThrow().privileges()).isEqualTo(Map.of(1, 600L, 2, 600L, 3, 600L, 4, 600L));
    assertTimes(t, CLOCK.instant(), 600);
    assertThat(t.getEarliestExpiry().getSeconds()).isEqualTo(CLOCK.instant().getEpochSecond() + 600);
  }

  @Test
  void rtcSubscriberWithRtmAndPrivilegeLifetime() {
    IssuedToken t = stub.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("agora").setChannelName("c")
        .setUserAccount("alice").setRole(RtcRole.RTC_ROLE_SUBSCRIBER).setLifetimeSeconds(900)
        .setPrivilegeLifetimeSeconds(300).setIncludeRtm(true).build()).getIssuedToken();
    AccessToken2 c = new AccessToken2Verifier(now()).verify(t.getToken(), agora.credentials()).claims();
    assertThat(c.rtc().orElseThrow().privileges()).isEqualTo(Map.of(1, 300L));
    assertThat(c.rtc().orElseThrow().uid()).isEqualTo("alice");
    assertThat(c.rtm().orElseThrow().userId()).isEqualTo("alice");
    assertThat(c.services()).hasSize(2);
    assertThat(t.getEarliestExpiry().getSeconds()).isEqualTo(CLOCK.instant().getEpochSecond() + 300);
  }

  @Test
  void rtcLegacy006VerifiesWithTheBinding() {
    IssuedToken t = stub.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("agora").setChannelName("legacy")
        .setUid(42).setRole(RtcRole.RTC_ROLE_SUBSCRIBER).setLifetimeSeconds(1200)
        .setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006).build()).getIssuedToken();
    assertThat(t.getFormat()).isEqualTo(TokenFormat.TOKEN_FORMAT_AGORA_006);
    LegacyAccessToken c = new LegacyAccessTokenVerifier(now())
        .verify(LegacyAccessToken.parse(t.getToken()), "legacy", "42", agora.credentials()).claims();
    assertThat(c.privilegeMap()).isEqualTo(Map.of(1, CLOCK.instant().getEpochSecond() + 1200));
    assertThat(c.appId()).isEqualTo(agora.appId());
  }

  @Test
  void rtm007And006() {
    IssuedToken t = stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("agora").setUserId("bob")
        .setLifetimeSeconds(300).build()).getIssuedToken();
    AccessToken2 c = new AccessToken2Verifier(now()).verify(t.getToken(), agora.credentials()).claims();
    assertThat(c.rtm().orElseThrow().userId()).isEqualTo("bob");
    assertThat(c.rtm().orElseThrow().privileges()).isEqualTo(Map.of(1, 300L));
    assertThat(c.services()).hasSize(1);

    IssuedToken legacy = stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("agora").setUserId("bob")
        .setLifetimeSeconds(300).setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006).build()).getIssuedToken();
    LegacyAccessToken l = new LegacyAccessTokenVerifier(now())
        .verify(LegacyAccessToken.parse(legacy.getToken()), "bob", "", agora.credentials()).claims();
    assertThat(l.isRtm()).isTrue();
    assertThat(l.privilegeMap()).isEqualTo(Map.of(1000, CLOCK.instant().getEpochSecond() + 300));
  }

  @Test
  void chatUserAppAndEasemobDynamic() {
    var user = stub.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("agora").setLifetimeSeconds(700)
        .setAgoraUser(AgoraChatUser.newBuilder().setUserUuid("8f3a-uuid_1")).build());
    AccessToken2 u = new AccessToken2Verifier(now()).verify(user.getIssuedToken().getToken(), agora.credentials()).claims();
    assertThat(u.chat().orElseThrow().userId()).isEqualTo("8f3a-uuid_1");
    assertThat(u.chat().orElseThrow().privileges()).isEqualTo(Map.of(1, 700L));
    assertThat(user.getUserUuid()).isEqualTo("8f3a-uuid_1");

    var app = stub.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("agora").setLifetimeSeconds(100)
        .setAgoraApp(AgoraChatApp.getDefaultInstance()).build());
    AccessToken2 a = new AccessToken2Verifier(now()).verify(app.getIssuedToken().getToken(), agora.credentials()).claims();
    assertThat(a.chat().orElseThrow().userId()).isEmpty();
    assertThat(a.chat().orElseThrow().privileges()).isEqualTo(Map.of(2, 100L));

    var dt = stub.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("easemob").setLifetimeSeconds(600)
        .setEasemobUser(EasemobUser.newBuilder().setUserId("carol")).build());
    assertThat(dt.getIssuedToken().getFormat()).isEqualTo(TokenFormat.TOKEN_FORMAT_EASEMOB_DYNAMIC);
    DynamicToken d = DynamicTokenVerifier.builder()
        .credential(new ClientCredential(easemob.clientId(), easemob.primary())).clock(now())
        .expectedAppKey(easemob.appKey()).build().verify(dt.getIssuedToken().getToken()).claims();
    assertThat(d.userId()).isEqualTo("carol");
    assertThat(d.ttlSeconds()).isEqualTo(600);
    assertThat(d.curTime()).isEqualTo(CLOCK.instant().getEpochSecond());
  }

  @Test
  void zimWithRoomPayload() {
    IssuedToken t = stub.issueZimToken(IssueZimTokenRequest.newBuilder().setApp("zego").setUserId("dave")
        .setLifetimeSeconds(3600).setRoom(ZegoRoomPrivileges.newBuilder().setRoomId("r1").setCanLogin(true)
            .addStreamIds("s1")).build()).getIssuedToken();
    assertThat(t.getFormat()).isEqualTo(TokenFormat.TOKEN_FORMAT_ZEGO_04);
    ZegoToken04 z = Token04Verifier.builder().serverSecrets(zego.credentials()).clock(now())
        .expectedAppId(zego.appId()).build().verify(t.getToken()).claims();
    assertThat(z.userId()).isEqualTo("dave");
    assertThat(z.expireSeconds() - z.ctimeSeconds()).isEqualTo(3600);
    var room = z.room().orElseThrow();
    assertThat(room.roomId()).isEqualTo("r1");
    assertThat(room.canLogin()).isTrue();
    assertThat(room.canPublish()).isFalse();
    assertThat(room.streamIds()).isEqualTo(List.of("s1"));
    assertTimes(t, CLOCK.instant(), 3600);
  }

  @Test
  void renewKeepsIdentityAndPrivilegesWithAFreshIssueTime() {
    IssuedToken old = stub.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("agora").setChannelName("r")
        .setUid(7).setRole(RtcRole.RTC_ROLE_SUBSCRIBER).setLifetimeSeconds(600).build()).getIssuedToken();
    Instant before = CLOCK.instant();
    CLOCK.advance(Duration.ofSeconds(120));
    try {
      IssuedToken renewed = stub.renewToken(RenewTokenRequest.newBuilder().setToken(old.getToken()).build())
          .getIssuedToken();
      AccessToken2 c = new AccessToken2Verifier(now()).verify(renewed.getToken(), agora.credentials()).claims();
      assertThat(c.issueTs()).isEqualTo(before.getEpochSecond() + 120);
      assertThat(c.expire()).isEqualTo(600);
      assertThat(c.rtc().orElseThrow().privileges()).isEqualTo(Map.of(1, 600L));
      assertThat(c.rtc().orElseThrow().uid()).isEqualTo("7");
      assertThat(c.rtc().orElseThrow().channelName()).isEqualTo("r");
      assertThat(renewed.getToken()).isNotEqualTo(old.getToken());

      // 006 needs the binding it was issued for, and renews into 006.
      IssuedToken legacy = stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("agora").setUserId("eve")
          .setLifetimeSeconds(300).setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006).build()).getIssuedToken();
      IssuedToken legacyRenewed = stub.renewToken(RenewTokenRequest.newBuilder().setToken(legacy.getToken())
          .setLifetimeSeconds(200).setLegacyBinding(Legacy006Binding.newBuilder().setChannelName("eve")).build())
          .getIssuedToken();
      LegacyAccessToken l = new LegacyAccessTokenVerifier(now())
          .verify(LegacyAccessToken.parse(legacyRenewed.getToken()), "eve", "", agora.credentials()).claims();
      assertThat(l.privilegeMap()).isEqualTo(Map.of(1000, CLOCK.instant().getEpochSecond() + 200));

      // ZEGO (app found by decrypting) and Easemob renew too.
      IssuedToken z = stub.issueZimToken(IssueZimTokenRequest.newBuilder().setApp("zego").setUserId("z1")
          .setLifetimeSeconds(500).build()).getIssuedToken();
      IssuedToken zr = stub.renewToken(RenewTokenRequest.newBuilder().setToken(z.getToken()).build()).getIssuedToken();
      ZegoToken04 zc = Token04Verifier.builder().serverSecrets(zego.credentials()).clock(now())
          .expectedAppId(zego.appId()).build().verify(zr.getToken()).claims();
      assertThat(zc.userId()).isEqualTo("z1");
      assertThat(zc.room()).isEmpty();
      assertThat(zr.getApp()).isEqualTo("zego");
    } finally {
      CLOCK.set(before);
    }
  }

  @Test
  void inspectVerifiesAndReportsPrivileges() {
    IssuedToken t = stub.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("agora").setChannelName("i")
        .setUid(0).setRole(RtcRole.RTC_ROLE_PUBLISHER).setLifetimeSeconds(60).build()).getIssuedToken();
    InspectTokenResponse r = stub.inspectToken(InspectTokenRequest.newBuilder().setToken(t.getToken()).build());
    assertThat(r.getValidity()).isEqualTo(Validity.VALIDITY_VALID);
    assertThat(r.getApp()).isEqualTo("agora");
    assertThat(r.getAppId()).isEqualTo(agora.appId());
    assertThat(r.getChannel()).isEqualTo("i");
    assertThat(r.getSubject()).isEmpty();
    assertThat(r.getMatchedCredential()).isEqualTo("primary");
    assertThat(r.getPrivilegesList()).extracting(p -> p.getCode()).containsExactly(1, 2, 3, 4);
    assertThat(r.getPrivilegesList()).allSatisfy(p ->
        assertThat(p.getExpiresAt().getSeconds()).isEqualTo(CLOCK.instant().getEpochSecond() + 60));
    assertThat(r.toString()).doesNotContain(agora.primary().reveal());

    Instant before = CLOCK.instant();
    CLOCK.advance(Duration.ofSeconds(61));
    try {
      InspectTokenResponse expired = stub.inspectToken(InspectTokenRequest.newBuilder().setToken(t.getToken()).build());
      assertThat(expired.getValidity()).isEqualTo(Validity.VALIDITY_EXPIRED);
      assertThat(expired.getInvalidReason()).isEqualTo("TOKEN_EXPIRED");
    } finally {
      CLOCK.set(before);
    }
  }

  @Test
  void eachIssueWritesOneAuditLineWithAFingerprintAndNeverTheToken() {
    IssuedToken t = stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("agora").setUserId("audited")
        .setLifetimeSeconds(30).build()).getIssuedToken();
    String fingerprint = dev.tokenauthority.server.audit.TokenFingerprint.of(t.getToken());
    assertThat(LogCapture.lines()).filteredOn(l -> l.contains("\"token_sha256_16\":\"" + fingerprint + "\""))
        .singleElement().satisfies(l -> assertThat(l).contains("\"rpc\":\"IssueRtmToken\"")
            .contains("\"caller\":\"local\"").contains("\"subject\":\"audited\"").contains("\"lifetime_s\":30")
            .contains("\"outcome\":\"ok\"").startsWith("{"));
    assertThat(LogCapture.lines()).noneSatisfy(l -> assertThat(l).contains(t.getToken()));
  }

  @Test
  void aRenewalsAuditLineLinksBackToTheTokenItReplaces() {
    IssuedToken issued = stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("agora").setUserId("linked")
        .setLifetimeSeconds(30).build()).getIssuedToken();
    IssuedToken renewed = stub.renewToken(RenewTokenRequest.newBuilder().setToken(issued.getToken()).build())
        .getIssuedToken();
    String from = dev.tokenauthority.server.audit.TokenFingerprint.of(issued.getToken());
    String to = dev.tokenauthority.server.audit.TokenFingerprint.of(renewed.getToken());
    assertThat(LogCapture.lines()).filteredOn(l -> l.contains("\"rpc\":\"RenewToken\"")
            && l.contains("\"renewed_from_sha256_16\":\"" + from + "\""))
        .singleElement().satisfies(l -> assertThat(l).contains("\"token_sha256_16\":\"" + to + "\"")
            .contains("\"subject\":\"linked\"").contains("\"outcome\":\"ok\""));
  }

  @Test
  void healthIsServingPerService() {
    var health = HealthGrpc.newBlockingStub(channel);
    assertThat(health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThat(health.check(HealthCheckRequest.newBuilder()
        .setService("tokenauthority.v1.TokenAuthorityService").build()).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }
}
