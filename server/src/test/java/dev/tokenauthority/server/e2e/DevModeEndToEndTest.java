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
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.config.DevelopmentConfig;
import dev.tokenauthority.server.testing.CoreChecks;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.TestServer;
import dev.tokenauthority.testing.MutableClock;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  static CoreChecks core;

  @BeforeAll
  static void start() throws Exception {
    var cfg = DevelopmentConfig.create(new SecureRandom());
    server = TestServer.start(cfg, CLOCK);
    channel = server.plaintextChannel();
    stub = server.stub(channel);
    agora = (AgoraApp) cfg.apps().get("agora");
    core = new CoreChecks(cfg, CLOCK);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void rtcPublisher007CarriesExactlyTheRequestedClaims() {
    IssuedToken t = stub.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("agora").setChannelName("room-1")
        .setUid(2882341273L).setRole(RtcRole.RTC_ROLE_PUBLISHER).setLifetimeSeconds(600).build()).getIssuedToken();
    AccessToken2 c = core.agora007(t);
    assertThat(c.expire()).isEqualTo(600);
    assertThat(c.services()).hasSize(1);
    CoreChecks.assertRtc(c, "room-1", "2882341273", Map.of(1, 600L, 2, 600L, 3, 600L, 4, 600L));
    core.assertLifetime(t, 600);
    core.assertEarliestExpiry(t, 600);
  }

  @Test
  void rtcSubscriberWithRtmAndPrivilegeLifetime() {
    IssuedToken t = stub.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("agora").setChannelName("c")
        .setUserAccount("alice").setRole(RtcRole.RTC_ROLE_SUBSCRIBER).setLifetimeSeconds(900)
        .setPrivilegeLifetimeSeconds(300).setIncludeRtm(true).build()).getIssuedToken();
    AccessToken2 c = core.agora007(t);
    CoreChecks.assertRtc(c, "c", "alice", Map.of(1, 300L));
    CoreChecks.assertRtm(c, "alice", 900);
    assertThat(c.services()).hasSize(2);
    core.assertEarliestExpiry(t, 300);
  }

  @Test
  void rtcLegacy006VerifiesWithTheBinding() {
    IssuedToken t = stub.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("agora").setChannelName("legacy")
        .setUid(42).setRole(RtcRole.RTC_ROLE_SUBSCRIBER).setLifetimeSeconds(1200)
        .setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006).build()).getIssuedToken();
    core.assertLegacyPrivileges(core.agora006(t, "legacy", "42"), Map.of(1, 1200L));
  }

  @Test
  void rtm007And006() {
    IssuedToken t = stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("agora").setUserId("bob")
        .setLifetimeSeconds(300).build()).getIssuedToken();
    AccessToken2 c = core.agora007(t);
    CoreChecks.assertRtm(c, "bob", 300);
    assertThat(c.services()).hasSize(1);

    IssuedToken legacy = stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("agora").setUserId("bob")
        .setLifetimeSeconds(300).setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006).build()).getIssuedToken();
    LegacyAccessToken l = core.agora006(legacy, "bob", "");
    assertThat(l.isRtm()).isTrue();
    core.assertLegacyPrivileges(l, Map.of(1000, 300L));
  }

  @Test
  void chatUserAppAndEasemobDynamic() {
    var user = stub.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("agora").setLifetimeSeconds(700)
        .setAgoraUser(AgoraChatUser.newBuilder().setUserUuid("8f3a-uuid_1")).build());
    CoreChecks.assertChat(core.agora007(user.getIssuedToken()), "8f3a-uuid_1", Map.of(1, 700L));
    assertThat(user.getUserUuid()).isEqualTo("8f3a-uuid_1");

    var app = stub.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("agora").setLifetimeSeconds(100)
        .setAgoraApp(AgoraChatApp.getDefaultInstance()).build());
    CoreChecks.assertChat(core.agora007(app.getIssuedToken()), "", Map.of(2, 100L));

    var dt = stub.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("easemob").setLifetimeSeconds(600)
        .setEasemobUser(EasemobUser.newBuilder().setUserId("carol")).build());
    core.assertEasemob(core.easemob(dt.getIssuedToken()), "carol", 600);
  }

  @Test
  void zimWithRoomPayload() {
    IssuedToken t = stub.issueZimToken(IssueZimTokenRequest.newBuilder().setApp("zego").setUserId("dave")
        .setLifetimeSeconds(3600).setRoom(ZegoRoomPrivileges.newBuilder().setRoomId("r1").setCanLogin(true)
            .addStreamIds("s1")).build()).getIssuedToken();
    core.assertZego(core.zego(t), "dave", 3600, Optional.of(
        new dev.tokenauthority.core.zego04.ZegoRoomPrivileges("r1", true, false, List.of("s1"))));
    core.assertLifetime(t, 3600);
  }

  @Test
  void renewKeepsIdentityAndPrivilegesWithAFreshIssueTime() {
    IssuedToken old = stub.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("agora").setChannelName("r")
        .setUid(7).setRole(RtcRole.RTC_ROLE_SUBSCRIBER).setLifetimeSeconds(600).build()).getIssuedToken();
    AccessToken2 oldClaims = core.agora007(old);
    Instant before = CLOCK.instant();
    CLOCK.advance(Duration.ofSeconds(120));
    try {
      IssuedToken renewed = stub.renewToken(RenewTokenRequest.newBuilder().setToken(old.getToken()).build())
          .getIssuedToken();
      AccessToken2 c = core.agora007(renewed);
      assertThat(c.issueTs()).isEqualTo(before.getEpochSecond() + 120);
      assertThat(c.expire()).isEqualTo(600);
      CoreChecks.assertRtc(c, "r", "7", Map.of(1, 600L));
      CoreChecks.assertRenewal(oldClaims, c, Duration.ofSeconds(120));
      assertThat(renewed.getToken()).isNotEqualTo(old.getToken());

      // 006 needs the binding it was issued for, and renews into 006.
      IssuedToken legacy = stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("agora").setUserId("eve")
          .setLifetimeSeconds(300).setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006).build()).getIssuedToken();
      IssuedToken legacyRenewed = stub.renewToken(RenewTokenRequest.newBuilder().setToken(legacy.getToken())
          .setLifetimeSeconds(200).setLegacyBinding(Legacy006Binding.newBuilder().setChannelName("eve")).build())
          .getIssuedToken();
      core.assertLegacyPrivileges(core.agora006(legacyRenewed, "eve", ""), Map.of(1000, 200L));

      // ZEGO (app found by decrypting) renews too.
      IssuedToken z = stub.issueZimToken(IssueZimTokenRequest.newBuilder().setApp("zego").setUserId("z1")
          .setLifetimeSeconds(500).build()).getIssuedToken();
      IssuedToken zr = stub.renewToken(RenewTokenRequest.newBuilder().setToken(z.getToken()).build()).getIssuedToken();
      core.assertZego(core.zego(zr), "z1", 500, Optional.empty());
    } finally {
      CLOCK.set(before);
    }
  }

  @Test
  void inspectVerifiesAndReportsPrivileges() {
    IssuedToken t = stub.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("agora").setChannelName("i")
        .setUid(0).setRole(RtcRole.RTC_ROLE_PUBLISHER).setLifetimeSeconds(60).build()).getIssuedToken();
    InspectTokenResponse r = stub.inspectToken(InspectTokenRequest.newBuilder().setToken(t.getToken()).build());
    core.assertInspection(r, "agora", core.agora007(t));
    assertThat(r.getAppId()).isEqualTo(agora.appId());
    assertThat(r.getChannel()).isEqualTo("i");
    assertThat(r.getSubject()).isEmpty();
    assertThat(r.getPrivilegesList()).extracting(p -> p.getCode()).containsExactly(1, 2, 3, 4);
    assertThat(r.getPrivilegesList()).allSatisfy(p ->
        assertThat(p.getExpiresAt().getSeconds()).isEqualTo(CLOCK.instant().getEpochSecond() + 60));

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
    String fingerprint = fingerprint(t.getToken());
    assertThat(LogCapture.lines()).filteredOn(l -> l.contains("\"token_sha256_16\":\"" + fingerprint + "\""))
        .singleElement().satisfies(l -> assertThat(l).contains("\"rpc\":\"IssueRtmToken\"")
            .contains("\"caller\":\"local\"").contains("\"subject\":\"audited\"").contains("\"lifetime_s\":30")
            .contains("\"outcome\":\"ok\"").startsWith("{"));
    assertThat(LogCapture.lines()).noneSatisfy(l -> assertThat(l).contains(t.getToken()));
  }

  /** The audit's fingerprint: over the token's claims, which 007 tokens carry in the clear. */
  static String fingerprint(String token) {
    return dev.tokenauthority.server.audit.TokenFingerprint.of(
        dev.tokenauthority.core.detect.AnyToken.parse(token).claims().orElseThrow());
  }

  @Test
  void aRenewalsAuditLineLinksBackToTheTokenItReplaces() {
    IssuedToken issued = stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("agora").setUserId("linked")
        .setLifetimeSeconds(30).build()).getIssuedToken();
    IssuedToken renewed = stub.renewToken(RenewTokenRequest.newBuilder().setToken(issued.getToken()).build())
        .getIssuedToken();
    String from = fingerprint(issued.getToken());
    String to = fingerprint(renewed.getToken());
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
