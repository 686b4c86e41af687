package dev.tokenauthority.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import dev.tokenauthority.core.agora006.LegacyAccessTokenBuilder;
import dev.tokenauthority.core.agora006.LegacyPrivilege;
import dev.tokenauthority.core.agora006.LegacyAccessTokenVerifier;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Builder;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.agora007.ChatService;
import dev.tokenauthority.core.agora007.RtcService;
import dev.tokenauthority.core.agora007.RtmService;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.testing.Errors;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.TestCredentials;
import dev.tokenauthority.server.testing.TestServer;
import dev.tokenauthority.testing.MutableClock;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
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

  // Tokens built elsewhere (the vendor's own SDK, another service) may give RTM and Chat privileges a
  // lifetime shorter than the token; the renewal keeps it relative to the new issue time.

  static AccessToken2Builder builder(long ago, long expire) {
    return AccessToken2Builder.create(Clock.fixed(CLOCK.instant(), ZoneOffset.UTC), new SecureRandom())
        .appId(rtc.appId()).issueTs(CLOCK.instant().getEpochSecond() - ago).expire(expire);
  }

  static AccessToken2 renew(String token, Long lifetime) {
    RenewTokenRequest.Builder r = RenewTokenRequest.newBuilder().setToken(token);
    if (lifetime != null) {
      r.setLifetimeSeconds(lifetime);
    }
    return verify(stub.renewToken(r.build()).getIssuedToken().getToken());
  }

  @Test
  void anRtmLoginShorterThanItsTokenStaysThatShort() {
    String old = builder(10, 3600).addService(RtmService.login("bob", 60)).sign(rtc.primary()).token();
    AccessToken2 c = renew(old, null);
    assertThat(c.expire()).isEqualTo(3600);
    assertThat(c.rtm().orElseThrow().privileges()).as("login expire - issue").isEqualTo(Map.of(1, 60L));
    assertThat(c.rtm().orElseThrow().userId()).isEqualTo("bob");
    assertThat(c.issueTs()).isEqualTo(CLOCK.instant().getEpochSecond());
  }

  @Test
  void anRtmLoginIsCappedByAShorterNewLifetimeAndANoLimitLoginStaysNoLimit() {
    String old = builder(0, 3600).addService(RtmService.login("bob", 600)).sign(rtc.primary()).token();
    assertThat(renew(old, 300L).rtm().orElseThrow().privileges()).isEqualTo(Map.of(1, 300L));
    String unlimited = builder(0, 900).addService(RtmService.login("bob", 0)).sign(rtc.primary()).token();
    AccessToken2 c = renew(unlimited, null);
    assertThat(c.expire()).isEqualTo(900);
    assertThat(c.rtm().orElseThrow().privileges()).isEqualTo(Map.of(1, 0L));
  }

  @Test
  void theRtmLoginInAnRtcTokenKeepsItsOwnLifetime() {
    String old = builder(5, 3600)
        .addService(RtcService.of("r", RtcUser.account("acc"), Map.of(RtcPrivilege.JOIN_CHANNEL, 3600L)))
        .addService(RtmService.login("acc", 60)).sign(rtc.primary()).token();
    AccessToken2 c = renew(old, null);
    assertThat(c.expire()).isEqualTo(3600);
    assertThat(c.rtc().orElseThrow().privileges()).isEqualTo(Map.of(1, 3600L));
    assertThat(c.rtm().orElseThrow().privileges()).isEqualTo(Map.of(1, 60L));
    assertThat(c.rtm().orElseThrow().userId()).isEqualTo("acc");
  }

  @Test
  void chatUserAndAppPrivilegesShorterThanTheTokenStayThatShort() {
    String user = builder(10, 3600).addService(ChatService.user("u-1", 120)).sign(rtc.primary()).token();
    AccessToken2 u = renew(user, null);
    assertThat(u.expire()).isEqualTo(3600);
    assertThat(u.chat().orElseThrow().privileges()).isEqualTo(Map.of(ChatService.USER, 120L));
    assertThat(u.chat().orElseThrow().userId()).isEqualTo("u-1");

    String app = builder(10, 3600).addService(ChatService.app(90)).sign(rtc.primary()).token();
    AccessToken2 a = renew(app, null);
    assertThat(a.expire()).isEqualTo(3600);
    assertThat(a.chat().orElseThrow().privileges()).isEqualTo(Map.of(ChatService.APP, 90L));
  }

  /**
   * Renews a 006 RTM token for "bob", issued 10 s ago, whose login is packed with {@code loginAt}
   * of its issue time; answers the renewed token's privileges.
   */
  private static Map<Integer, Long> renewLegacyRtm(java.util.function.LongUnaryOperator loginAt) {
    long issued = CLOCK.instant().getEpochSecond() - 10;
    String old = LegacyAccessTokenBuilder.create().appId(rtc.appId()).channelName("bob").uid("")
        .ts(issued + LegacyAccessToken.TS_OFFSET_SECONDS).privilege(LegacyPrivilege.RTM_LOGIN, loginAt.applyAsLong(issued))
        .sign(rtc.primary()).token();
    IssuedToken renewed = stub.renewToken(RenewTokenRequest.newBuilder().setToken(old)
        .setLegacyBinding(Legacy006Binding.newBuilder().setChannelName("bob").setUid("")).build()).getIssuedToken();
    return new LegacyAccessTokenVerifier(Clock.fixed(CLOCK.instant(), ZoneOffset.UTC))
        .verify(LegacyAccessToken.parse(renewed.getToken()), "bob", "", rtc.credentials()).claims().privilegeMap();
  }

  @Test
  void aLegacyRtmLoginShorterThanThePolicyCapStaysThatShort() {
    assertThat(renewLegacyRtm(issued -> issued + 60))
        .isEqualTo(Map.of(LegacyPrivilege.RTM_LOGIN, CLOCK.instant().getEpochSecond() + 60));
  }

  /** The 006 vendor default lives 24 h: a caller limited to 3600 s may neither ask for it nor keep it. */
  @Test
  void aLegacyVendorDefaultTokenIsCappedForACallerWhoMayNotIssueADay() {
    StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, () -> stub.issueRtcToken(
        IssueRtcTokenRequest.newBuilder().setApp("rtc").setChannelName("r").setUid(12).setRole(RtcRole.RTC_ROLE_SUBSCRIBER)
            .setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006).setLifetimeSeconds(0).build()));
    assertThat(Errors.of(refused).reason()).isEqualTo("LIFETIME_EXCEEDS_POLICY");

    assertThat(renewLegacyRtm(issued -> 0))
        .isEqualTo(Map.of(LegacyPrivilege.RTM_LOGIN, CLOCK.instant().getEpochSecond() + 3600));
  }

  @Test
  void anRtmServiceWithPrivilegesBesidesLoginIsNotRenewable() {
    String old = builder(0, 600).addService(new RtmService(new TreeMap<>(Map.of(1, 600L, 2, 600L)), "bob"))
        .sign(rtc.primary()).token();
    assertThatThrownBy(() -> renew(old, null)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      Errors.Seen seen = Errors.of(e);
      assertThat(seen.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(seen.reason()).isEqualTo("TOKEN_NOT_RENEWABLE");
    });
  }
}
