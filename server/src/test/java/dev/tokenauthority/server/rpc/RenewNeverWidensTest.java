package dev.tokenauthority.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssuedToken;
import dev.tokenauthority.api.v1.Legacy006Binding;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RtcPrivilegeLifetimes;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.api.v1.TokenFormat;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcUser;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora006.LegacyAccessTokenVerifier;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Builder;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.agora007.RtcService;
import dev.tokenauthority.core.agora007.RtmService;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.MutableClock;
import dev.tokenauthority.server.testing.TestCredentials;
import dev.tokenauthority.server.testing.TestServer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * RenewToken never widens: same privileges and identity, lifetime capped by policy when not asked
 * for (an explicit over-cap lifetime is refused, see BadRequestTableTest), privileges never longer
 * than before, expired tokens accepted only within the grace.
 */
@ExtendWith(LogCapture.class)
class RenewNeverWidensTest {
  static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  @TempDir static Path dir;
  static TestServer server;
  static TokenAuthorityServiceBlockingStub stub;
  static AgoraApp rtc;

  @BeforeAll
  static void start() throws Exception {
    String yaml = """
        apps:
          rtc: {vendor: agora, app_id: %s, certificate: {env: RTC}}
        callers:
          - identity: local
            apps: [rtc]
            rpcs: ["*"]
            max_lifetime_seconds: 3600
            default_lifetime_seconds: 600
        renewal: {grace_seconds: 60}
        """.formatted(TestCredentials.hex32());
    server = TestServer.start(yaml, Map.of("RTC", TestCredentials.hex32()), dir, CLOCK);
    stub = server.stub(server.plaintextChannel());
    rtc = (AgoraApp) server.config().apps().get("rtc");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static AccessToken2 verify(String token) {
    return new AccessToken2Verifier(Clock.fixed(CLOCK.instant(), ZoneOffset.UTC)).verify(token, rtc.credentials())
        .claims();
  }

  static String build(long ago, long expire, Map<RtcPrivilege, Long> privileges, boolean withRtm) {
    var b = AccessToken2Builder.create(Clock.fixed(CLOCK.instant(), ZoneOffset.UTC), new SecureRandom())
        .appId(rtc.appId()).issueTs(CLOCK.instant().getEpochSecond() - ago).expire(expire)
        .addService(RtcService.of("r", RtcUser.account("acc"), privileges));
    if (withRtm) {
      b.addService(RtmService.login("acc", expire));
    }
    return b.sign(rtc.primary()).token();
  }

  @Test
  void aSubscriberTokenRenewsIntoASubscriberTokenEvenWhenALongerLifetimeIsAsked() {
    IssuedToken old = stub.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("rtc").setChannelName("r")
        .setUid(3).setRole(RtcRole.RTC_ROLE_SUBSCRIBER).setLifetimeSeconds(300).build()).getIssuedToken();
    IssuedToken renewed = stub.renewToken(RenewTokenRequest.newBuilder().setToken(old.getToken())
        .setLifetimeSeconds(3600).build()).getIssuedToken();
    AccessToken2 c = verify(renewed.getToken());
    assertThat(c.expire()).isEqualTo(3600);
    assertThat(c.rtc().orElseThrow().privileges().keySet()).containsExactly(1);
    assertThat(c.rtc().orElseThrow().privileges().get(1)).as("privilege no longer than before").isEqualTo(300L);
    assertThat(c.services()).hasSize(1);
  }

  @Test
  void customPrivilegesKeepTheirSetAndNoneOutlivesTheNewToken() {
    IssuedToken old = stub.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("rtc").setChannelName("r")
        .setUserAccount("acc").setLifetimeSeconds(1000).setPrivilegeLifetimes(RtcPrivilegeLifetimes.newBuilder()
            .setJoinChannelSeconds(1000).setPublishAudioSeconds(200).setPublishDataStreamSeconds(0)).build())
        .getIssuedToken();
    AccessToken2 c = verify(stub.renewToken(RenewTokenRequest.newBuilder().setToken(old.getToken())
        .setLifetimeSeconds(500).build()).getIssuedToken().getToken());
    assertThat(c.rtc().orElseThrow().privileges()).isEqualTo(Map.of(1, 500L, 2, 200L, 4, 0L));
    assertThat(c.rtc().orElseThrow().uid()).isEqualTo("acc");
  }

  @Test
  void withoutALifetimeTheOldOneIsKeptButCappedByPolicy() {
    String old = build(0, 86_400, Map.of(RtcPrivilege.JOIN_CHANNEL, 86_400L), true);
    AccessToken2 c = verify(stub.renewToken(RenewTokenRequest.newBuilder().setToken(old).build())
        .getIssuedToken().getToken());
    assertThat(c.expire()).isEqualTo(3600);
    assertThat(c.rtc().orElseThrow().privileges()).isEqualTo(Map.of(1, 3600L));
    assertThat(c.rtm().orElseThrow().userId()).isEqualTo("acc");
    assertThat(c.issueTs()).isEqualTo(CLOCK.instant().getEpochSecond());
  }

  @Test
  void expiredWithinTheGraceRenewsAndKeepsTheLifetime() {
    String old = build(630, 600, Map.of(RtcPrivilege.JOIN_CHANNEL, 600L), false);
    AccessToken2 c = verify(stub.renewToken(RenewTokenRequest.newBuilder().setToken(old).build())
        .getIssuedToken().getToken());
    assertThat(c.expire()).isEqualTo(600);
    assertThat(c.issueTs()).isEqualTo(CLOCK.instant().getEpochSecond());
  }

  @Test
  void legacySubscriberStaysSubscriber() {
    IssuedToken old = stub.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("rtc").setChannelName("r")
        .setUid(12).setRole(RtcRole.RTC_ROLE_SUBSCRIBER).setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006)
        .setLifetimeSeconds(900).build()).getIssuedToken();
    IssuedToken renewed = stub.renewToken(RenewTokenRequest.newBuilder().setToken(old.getToken())
        .setLegacyBinding(Legacy006Binding.newBuilder().setChannelName("r").setUid("12")).build()).getIssuedToken();
    assertThat(renewed.getFormat()).isEqualTo(TokenFormat.TOKEN_FORMAT_AGORA_006);
    LegacyAccessToken l = new LegacyAccessTokenVerifier(Clock.fixed(CLOCK.instant(), ZoneOffset.UTC))
        .verify(LegacyAccessToken.parse(renewed.getToken()), "r", "12", rtc.credentials()).claims();
    assertThat(l.privilegeMap().keySet()).containsExactly(1);
    assertThat(l.privilegeMap().get(1)).isEqualTo(CLOCK.instant().getEpochSecond() + 900);
  }
}
