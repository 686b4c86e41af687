package dev.tokenauthority.server.mtls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AgoraChatApp;
import dev.tokenauthority.api.v1.AgoraChatUser;
import dev.tokenauthority.api.v1.EasemobUser;
import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.IssuedToken;
import dev.tokenauthority.api.v1.Legacy006Binding;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RtcPrivilegeLifetimes;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.api.v1.TokenFormat;
import dev.tokenauthority.api.v1.Validity;
import dev.tokenauthority.api.v1.ZegoRoomPrivileges;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcUser;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Builder;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.agora007.RtcService;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.zego04.ZegoToken04;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.testing.CoreChecks;
import dev.tokenauthority.server.testing.Errors;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.TestCredentials;
import dev.tokenauthority.server.testing.TestPki;
import dev.tokenauthority.server.testing.TestServer;
import dev.tokenauthority.testing.MutableClock;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every RPC over mTLS with test-made certificates; identity from SANs; refusals. */
@ExtendWith(LogCapture.class)
class MtlsEndToEndTest {
  static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  @TempDir static Path dir;
  static TestServer server;
  static TestPki pki;
  static TestPki otherPki;
  static TestPki.Issued full;
  static TestPki.Issued dnsOnly;
  static TestPki.Issued cnOnly;
  static TestPki.Issued stranger;
  static TestPki.Issued restricted;
  static TestPki.Issued expired;
  static TestPki.Issued foreign;
  static AgoraApp agora;
  static TokenAuthorityServiceBlockingStub fullStub;
  static CoreChecks core;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir, "main");
    otherPki = TestPki.create(dir, "other");
    TestPki.Issued serverCert = pki.server("server");
    full = pki.client("full", "spiffe://test.example/full", "also-dns.test", "full-cn");
    dnsOnly = pki.client("dns", null, "dns-client.test", "ignored-cn");
    cnOnly = pki.client("cn", null, null, "cn-client");
    stranger = pki.client("stranger", "spiffe://test.example/stranger", null, "stranger");
    restricted = pki.client("restricted", "spiffe://test.example/restricted", null, "restricted");
    expired = pki.client("expired", "spiffe://test.example/full", null, "expired",
        Instant.now().minus(Duration.ofHours(2)));
    foreign = otherPki.client("foreign", "spiffe://test.example/full", null, "foreign");
    Map<String, String> env = Map.of("RTC_CERT", TestCredentials.hex32(), "RTC_CERT2", TestCredentials.hex32(),
        "ZEGO_SECRET", TestCredentials.hex32(), "EM_SECRET", TestCredentials.easemobSecret());
    String yaml = """
        listen: {address: 127.0.0.1, port: 0}
        tls:
          certificate_file: server.pem
          private_key_file: server-key.pem
          client_ca_file: main-ca.pem
          client_auth: required
        apps:
          rtc:
            vendor: agora
            app_id: %s
            certificate: {env: RTC_CERT}
            secondary_certificate: {env: RTC_CERT2}
          zim:
            vendor: zego
            app_id: 1234567
            server_secret: {env: ZEGO_SECRET}
          im:
            vendor: easemob
            app_key: org1#im
            client_id: YXA6clientid
            client_secret: {env: EM_SECRET}
        callers:
          - identity: spiffe://test.example/full
            apps: ["*"]
            rpcs: ["*"]
            max_lifetime_seconds: 3600
          - identity: dns-client.test
            apps: [rtc]
            rpcs: [IssueRtmToken]
          - identity: cn-client
            apps: [rtc]
            rpcs: [InspectToken]
          - identity: spiffe://test.example/restricted
            apps: [rtc]
            rpcs: []
        renewal: {grace_seconds: 30}
        """.formatted(TestCredentials.hex32());
    server = TestServer.start(yaml, env, dir, CLOCK);
    agora = (AgoraApp) server.config().apps().get("rtc");
    fullStub = stub(full);
    core = new CoreChecks(server.config(), CLOCK);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static TokenAuthorityServiceBlockingStub stub(TestPki.Issued client) throws Exception {
    return server.stub(server.tlsChannel(pki.caFile(), client));
  }

  static Clock now() {
    return Clock.fixed(CLOCK.instant(), ZoneOffset.UTC);
  }

  /** One issue RPC, the core's check that its token carries exactly what was asked, and a 006 binding. */
  record Issue(String name, Function<TokenAuthorityServiceBlockingStub, IssuedToken> call,
      Function<IssuedToken, TokenClaims> expect, Optional<Legacy006Binding> binding) {
    Issue(String name, Function<TokenAuthorityServiceBlockingStub, IssuedToken> call,
        Function<IssuedToken, TokenClaims> expect) {
      this(name, call, expect, Optional.empty());
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * Every issue RPC and token kind. Each expectation is relative to the test clock, so it also
   * holds for the renewal made after the clock moved on: same claims, fresh issue time.
   */
  static Stream<Issue> issues() {
    return Stream.of(
        new Issue("007 RTC: uid, per-privilege lifetimes, RTM for another user",
            s -> s.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("rtc").setChannelName("m-room")
                .setUid(2882341273L).setLifetimeSeconds(600).setIncludeRtm(true).setRtmUserId("rtm-peer")
                .setPrivilegeLifetimes(RtcPrivilegeLifetimes.newBuilder().setJoinChannelSeconds(500)
                    .setPublishAudioSeconds(300).setPublishVideoSeconds(0).setPublishDataStreamSeconds(400))
                .build()).getIssuedToken(),
            t -> {
              AccessToken2 c = core.agora007(t);
              CoreChecks.assertRtc(c, "m-room", "2882341273", Map.of(1, 500L, 2, 300L, 3, 0L, 4, 400L));
              CoreChecks.assertRtm(c, "rtm-peer", 600);
              assertThat(c.services()).hasSize(2);
              core.assertLifetime(t, 600);
              core.assertEarliestExpiry(t, 300);
              return c;
            }),
        new Issue("007 RTC: account, subscriber role, privilege lifetime",
            s -> s.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("rtc").setChannelName("m")
                .setUserAccount("alice").setRole(RtcRole.RTC_ROLE_SUBSCRIBER).setLifetimeSeconds(500)
                .setPrivilegeLifetimeSeconds(200).build()).getIssuedToken(),
            t -> {
              AccessToken2 c = core.agora007(t);
              CoreChecks.assertRtc(c, "m", "alice", Map.of(1, 200L));
              assertThat(c.services()).hasSize(1);
              core.assertLifetime(t, 500);
              core.assertEarliestExpiry(t, 200);
              return c;
            }),
        new Issue("006 RTC: uid, publisher role",
            s -> s.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("rtc").setChannelName("legacy")
                .setUid(42).setRole(RtcRole.RTC_ROLE_PUBLISHER).setLifetimeSeconds(900)
                .setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006).build()).getIssuedToken(),
            t -> {
              LegacyAccessToken l = core.agora006(t, "legacy", "42");
              assertThat(l.isRtm()).isFalse();
              core.assertLegacyPrivileges(l, Map.of(1, 900L, 2, 900L, 3, 900L, 4, 900L));
              core.assertEarliestExpiry(t, 900);
              return l;
            },
            Optional.of(Legacy006Binding.newBuilder().setChannelName("legacy").setUid("42").build())),
        new Issue("007 RTM: the policy's default lifetime",
            s -> s.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("u1").build())
                .getIssuedToken(),
            t -> {
              AccessToken2 c = core.agora007(t);
              CoreChecks.assertRtm(c, "u1", 3600);
              assertThat(c.services()).hasSize(1);
              core.assertLifetime(t, 3600);
              return c;
            }),
        new Issue("006 RTM",
            s -> s.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("bob")
                .setLifetimeSeconds(300).setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006).build()).getIssuedToken(),
            t -> {
              LegacyAccessToken l = core.agora006(t, "bob", "");
              assertThat(l.isRtm()).isTrue();
              core.assertLegacyPrivileges(l, Map.of(1000, 300L));
              core.assertEarliestExpiry(t, 300);
              return l;
            },
            Optional.of(Legacy006Binding.newBuilder().setChannelName("bob").build())),
        new Issue("007 Chat user",
            s -> {
              var r = s.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("rtc").setLifetimeSeconds(60)
                  .setAgoraUser(AgoraChatUser.newBuilder().setUserUuid("uuid-1")).build());
              assertThat(r.getUserUuid()).isEqualTo("uuid-1");
              return r.getIssuedToken();
            },
            t -> {
              AccessToken2 c = core.agora007(t);
              CoreChecks.assertChat(c, "uuid-1", Map.of(1, 60L));
              assertThat(c.services()).hasSize(1);
              core.assertLifetime(t, 60);
              return c;
            }),
        new Issue("007 Chat app",
            s -> s.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("rtc").setLifetimeSeconds(60)
                .setAgoraApp(AgoraChatApp.getDefaultInstance()).build()).getIssuedToken(),
            t -> {
              AccessToken2 c = core.agora007(t);
              CoreChecks.assertChat(c, "", Map.of(2, 60L));
              assertThat(c.services()).hasSize(1);
              core.assertLifetime(t, 60);
              return c;
            }),
        new Issue("Easemob dynamic user token",
            s -> s.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("im").setLifetimeSeconds(120)
                .setEasemobUser(EasemobUser.newBuilder().setUserId("em_user")).build()).getIssuedToken(),
            t -> {
              DynamicToken d = core.easemob(t);
              core.assertEasemob(d, "em_user", 120);
              core.assertLifetime(t, 120);
              return d;
            }),
        new Issue("ZEGO ZIM login",
            s -> s.issueZimToken(IssueZimTokenRequest.newBuilder().setApp("zim").setUserId("zu")
                .setLifetimeSeconds(100).build()).getIssuedToken(),
            t -> {
              ZegoToken04 z = core.zego(t);
              core.assertZego(z, "zu", 100, Optional.empty());
              core.assertLifetime(t, 100);
              return z;
            }),
        new Issue("ZEGO with an RTC-room payload: login, publish, stream ids",
            s -> s.issueZimToken(IssueZimTokenRequest.newBuilder().setApp("zim").setUserId("zr")
                .setLifetimeSeconds(200).setRoom(ZegoRoomPrivileges.newBuilder().setRoomId("room-7")
                    .setCanLogin(true).setCanPublish(true).addStreamIds("s1").addStreamIds("s2")).build())
                .getIssuedToken(),
            t -> {
              ZegoToken04 z = core.zego(t);
              core.assertZego(z, "zr", 200, Optional.of(new dev.tokenauthority.core.zego04.ZegoRoomPrivileges(
                  "room-7", true, true, List.of("s1", "s2"))));
              core.assertLifetime(t, 200);
              return z;
            }),
        new Issue("ZEGO with a room payload: login only, any stream",
            s -> s.issueZimToken(IssueZimTokenRequest.newBuilder().setApp("zim").setUserId("zl")
                .setLifetimeSeconds(150).setRoom(ZegoRoomPrivileges.newBuilder().setRoomId("room-8")
                    .setCanLogin(true)).build()).getIssuedToken(),
            t -> {
              ZegoToken04 z = core.zego(t);
              core.assertZego(z, "zl", 150, Optional.of(dev.tokenauthority.core.zego04.ZegoRoomPrivileges
                  .of("room-8", true, false)));
              core.assertLifetime(t, 150);
              return z;
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("issues")
  void everyIssueOverMtlsCarriesExactlyTheRequestedClaimsAndInspectsAndRenews(Issue issue) {
    IssuedToken issued = issue.call().apply(fullStub);
    TokenClaims claims = issue.expect().apply(issued);

    InspectTokenRequest.Builder inspect = InspectTokenRequest.newBuilder().setToken(issued.getToken());
    issue.binding().ifPresent(inspect::setLegacyBinding);
    core.assertInspection(fullStub.inspectToken(inspect.build()), issued.getApp(), claims);

    Instant before = CLOCK.instant();
    Duration elapsed = Duration.ofSeconds(45);
    CLOCK.advance(elapsed);
    try {
      // No app named: the server finds it from the token (app id, app key, or by decrypting).
      RenewTokenRequest.Builder renew = RenewTokenRequest.newBuilder().setToken(issued.getToken());
      issue.binding().ifPresent(renew::setLegacyBinding);
      IssuedToken renewed = fullStub.renewToken(renew.build()).getIssuedToken();
      assertThat(renewed.getToken()).isNotEqualTo(issued.getToken());
      assertThat(renewed.getFormat()).isEqualTo(issued.getFormat());
      TokenClaims again = issue.expect().apply(renewed);
      CoreChecks.assertRenewal(claims, again, elapsed);
    } finally {
      CLOCK.set(before);
    }
  }

  @Test
  void secondaryCertificateVerifiesDuringRotationAndRenewalSignsWithPrimary() {
    Secret secondary = agora.credentials().get(1);
    String token = AccessToken2Builder.create(now(), new SecureRandom()).appId(agora.appId())
        .issueTs(CLOCK.instant().getEpochSecond()).expire(600)
        .addService(RtcService.of("rot", RtcUser.uid(5), Map.of(RtcPrivilege.JOIN_CHANNEL, 600L)))
        .sign(secondary).token();
    var inspected = fullStub.inspectToken(InspectTokenRequest.newBuilder().setToken(token).build());
    assertThat(inspected.getValidity()).isEqualTo(Validity.VALIDITY_VALID);
    assertThat(inspected.getMatchedCredential()).isEqualTo("secondary");
    IssuedToken renewed = fullStub.renewToken(RenewTokenRequest.newBuilder().setToken(token).setApp("rtc").build())
        .getIssuedToken();
    var v = new AccessToken2Verifier(now()).verify(renewed.getToken(), agora.credentials());
    assertThat(v.matchedCredential()).isEqualTo("primary");
    assertThat(v.claims().rtc().orElseThrow().privileges()).isEqualTo(Map.of(1, 600L));
  }

  @Test
  void identityFromDnsSanWhenNoSpiffeIdAndFromCnWhenNoSan() throws Exception {
    var dns = stub(dnsOnly);
    IssuedToken t = dns.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("x").build())
        .getIssuedToken();
    assertThat(t.getToken()).startsWith("007");
    assertDenied(() -> dns.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("rtc").setChannelName("c")
        .setUid(1).setRole(RtcRole.RTC_ROLE_SUBSCRIBER).build()), "RPC_NOT_ALLOWED");

    var cn = stub(cnOnly);
    var r = cn.inspectToken(InspectTokenRequest.newBuilder().setToken(t.getToken()).build());
    assertThat(r.getValidity()).isEqualTo(Validity.VALIDITY_VALID);
    assertDenied(() -> cn.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("x").build()),
        "RPC_NOT_ALLOWED");
  }

  static Stream<Function<TokenAuthorityServiceBlockingStub, Object>> everyRpc() {
    return Stream.of(
        s -> s.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("rtc").setChannelName("c").setUid(1)
            .setRole(RtcRole.RTC_ROLE_SUBSCRIBER).build()),
        s -> s.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("u").build()),
        s -> s.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("rtc")
            .setAgoraApp(AgoraChatApp.getDefaultInstance()).build()),
        s -> s.issueZimToken(IssueZimTokenRequest.newBuilder().setApp("zim").setUserId("u").build()),
        s -> s.renewToken(RenewTokenRequest.newBuilder().setToken("007x").build()),
        s -> s.inspectToken(InspectTokenRequest.newBuilder().setToken("007x").build()));
  }

  @ParameterizedTest
  @MethodSource("everyRpc")
  void identityOutsideItsPolicyIsDeniedForEachRpc(Function<TokenAuthorityServiceBlockingStub, Object> call)
      throws Exception {
    var restrictedStub = stub(restricted);
    assertDenied(() -> call.apply(restrictedStub), "RPC_NOT_ALLOWED");
  }

  @ParameterizedTest
  @MethodSource("everyRpc")
  void unknownIdentityIsDeniedForEachRpc(Function<TokenAuthorityServiceBlockingStub, Object> call) throws Exception {
    var strangerStub = stub(stranger);
    assertDenied(() -> call.apply(strangerStub), "CALLER_UNKNOWN");
  }

  @Test
  void denialsBeforeAnyHandlerAreAuditedWithTheCallersIdentity() throws Exception {
    int before = LogCapture.lines().size();
    assertDenied(() -> stub(stranger).issueZimToken(
        IssueZimTokenRequest.newBuilder().setApp("zim").setUserId("u").build()), "CALLER_UNKNOWN");
    assertDenied(() -> stub(restricted).inspectToken(
        InspectTokenRequest.newBuilder().setToken("007x").build()), "RPC_NOT_ALLOWED");
    var audit = LogCapture.lines().subList(before, LogCapture.lines().size()).stream()
        .filter(l -> l.startsWith("{\"time\"")).toList();
    assertThat(audit).anySatisfy(l -> assertThat(l)
        .contains("\"caller\":\"spiffe://test.example/stranger\"", "\"rpc\":\"IssueZimToken\"",
            "\"outcome\":\"denied\"", "\"reason\":\"CALLER_UNKNOWN\""));
    assertThat(audit).anySatisfy(l -> assertThat(l)
        .contains("\"caller\":\"spiffe://test.example/restricted\"", "\"rpc\":\"InspectToken\"",
            "\"outcome\":\"denied\"", "\"reason\":\"RPC_NOT_ALLOWED\""));
  }

  @Test
  void appOutsidePolicyIsDenied() throws Exception {
    var dns = stub(dnsOnly);
    StatusRuntimeException e = catchSre(() -> dns.issueRtmToken(
        IssueRtmTokenRequest.newBuilder().setApp("zim").setUserId("u").build()));
    Errors.Seen seen = Errors.of(e);
    assertThat(seen.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(seen.reason()).isEqualTo("APP_NOT_ALLOWED");
  }

  @ParameterizedTest
  @MethodSource("everyRpc")
  void noCertificateAnotherCasCertificateOrAnExpiredOneNeverReachesAnyRpc(
      Function<TokenAuthorityServiceBlockingStub, Object> call) throws Exception {
    int auditLines = auditLines();
    for (TestPki.Issued client : new TestPki.Issued[] {null, foreign, expired}) {
      var s = stub(client);
      StatusRuntimeException e = catchSre(() -> call.apply(s));
      // The TLS handshake fails, so the call never exists on the server: no status of ours.
      assertThat(e.getStatus().getCode()).as("client %s", client).isEqualTo(Status.Code.UNAVAILABLE);
    }
    assertThat(auditLines()).as("no refused handshake became a call").isEqualTo(auditLines);
  }

  private static int auditLines() {
    return (int) LogCapture.lines().stream().filter(l -> l.startsWith("{\"time\"")).count();
  }

  @Test
  void aClientThatDoesNotTrustTheServerRefusesIt() throws Exception {
    // A client that does not trust the server's CA refuses the server too.
    var wrongTrust = server.stub(server.tlsChannel(otherPki.caFile(), full));
    assertThat(catchSre(() -> wrongTrust.issueRtmToken(
        IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("u").build())).getStatus().getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
  }

  static void assertDenied(Runnable call, String reason) {
    Errors.Seen seen = Errors.of(catchSre(call::run));
    assertThat(seen.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(seen.reason()).isEqualTo(reason);
    assertThat(seen.domain()).isEqualTo("tokenauthority.dev");
  }

  static void assertDenied(java.util.concurrent.Callable<?> call, String reason) {
    assertDenied(() -> {
      try {
        call.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, reason);
  }

  static StatusRuntimeException catchSre(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }
}
