package dev.tokenauthority.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.InspectTokenResponse;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.IssuedToken;
import dev.tokenauthority.api.v1.Legacy006Binding;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RtcPrivilegeLifetimes;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.api.v1.TokenFormat;
import dev.tokenauthority.api.v1.Validity;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora006.LegacyAccessTokenVerifier;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.testing.Errors;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.TestCredentials;
import dev.tokenauthority.server.testing.TestServer;
import dev.tokenauthority.testing.MutableClock;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
 * The "006" vendor default over gRPC (seeds 001/002: privilegeExpiredTs = 0): lifetime_seconds 0
 * issues RTC and RTM tokens whose privileges are packed with 0 and which live the vendor's 24 h;
 * renewal keeps that form; InspectToken reports the effective expiry. 007 still refuses 0.
 */
@ExtendWith(LogCapture.class)
class Agora006VendorDefaultTest {
  static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  static final long DAY = 86_400;
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
            max_lifetime_seconds: 86400
            default_lifetime_seconds: 600
        """.formatted(TestCredentials.hex32());
    server = TestServer.start(yaml, Map.of("RTC", TestCredentials.hex32()), dir, CLOCK);
    stub = server.stub(server.plaintextChannel());
    rtc = (AgoraApp) server.config().apps().get("rtc");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static LegacyAccessToken verify(String token, String channel, String uid) {
    return new LegacyAccessTokenVerifier(Clock.fixed(CLOCK.instant(), ZoneOffset.UTC))
        .verify(LegacyAccessToken.parse(token), channel, uid, rtc.credentials()).claims();
  }

  static IssueRtcTokenRequest.Builder rtc006() {
    return IssueRtcTokenRequest.newBuilder().setApp("rtc").setChannelName("room").setUid(42)
        .setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006).setLifetimeSeconds(0);
  }

  /** The response's times: issued now, valid the vendor's 24 h. */
  static void assertLivesADayFromNow(IssuedToken t) {
    long now = CLOCK.instant().getEpochSecond();
    assertThat(t.getIssuedAt().getSeconds()).isEqualTo(now);
    assertThat(t.getExpiresAt().getSeconds()).isEqualTo(now + DAY);
    assertThat(t.getEarliestExpiry().getSeconds()).isEqualTo(now + DAY);
  }

  @Test
  void rtcLifetimeZeroPacksEveryPrivilegeWithZeroAndLivesADay() {
    IssuedToken t = stub.issueRtcToken(rtc006().setRole(RtcRole.RTC_ROLE_PUBLISHER).build()).getIssuedToken();
    LegacyAccessToken c = verify(t.getToken(), "room", "42");
    assertThat(c.privilegeMap()).isEqualTo(Map.of(1, 0L, 2, 0L, 3, 0L, 4, 0L));
    assertThat(c.ts()).isEqualTo(CLOCK.instant().getEpochSecond() + DAY);
    assertLivesADayFromNow(t);
  }

  @Test
  void rtcLifetimeZeroKeepsAnExplicitPrivilegeLifetimeUpToTheVendorsDay() {
    IssuedToken t = stub.issueRtcToken(rtc006().setPrivilegeLifetimes(RtcPrivilegeLifetimes.newBuilder()
        .setJoinChannelSeconds(0).setPublishAudioSeconds(7200)).build()).getIssuedToken();
    long now = CLOCK.instant().getEpochSecond();
    assertThat(verify(t.getToken(), "room", "42").privilegeMap()).isEqualTo(Map.of(1, 0L, 2, now + 7200));
    assertThat(t.getEarliestExpiry().getSeconds()).isEqualTo(now + 7200);
  }

  @Test
  void rtmLifetimeZeroPacksTheLoginWithZeroAndLivesADay() {
    IssuedToken t = stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("ann")
        .setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006).setLifetimeSeconds(0).build()).getIssuedToken();
    assertThat(verify(t.getToken(), "ann", "").privilegeMap()).isEqualTo(Map.of(1000, 0L));
    assertLivesADayFromNow(t);
  }

  @Test
  void aVendorDefaultTokenRenewsToTheSameFormWithAFreshIssueTime() {
    String rtcToken = stub.issueRtcToken(rtc006().setRole(RtcRole.RTC_ROLE_SUBSCRIBER).build()).getIssuedToken().getToken();
    String rtmToken = stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("ann")
        .setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006).setLifetimeSeconds(0).build()).getIssuedToken().getToken();
    CLOCK.advance(Duration.ofHours(5));

    IssuedToken rtcRenewed = stub.renewToken(RenewTokenRequest.newBuilder().setToken(rtcToken)
        .setLegacyBinding(Legacy006Binding.newBuilder().setChannelName("room").setUid("42")).build()).getIssuedToken();
    assertThat(verify(rtcRenewed.getToken(), "room", "42").privilegeMap()).isEqualTo(Map.of(1, 0L));
    assertLivesADayFromNow(rtcRenewed);

    IssuedToken rtmRenewed = stub.renewToken(RenewTokenRequest.newBuilder().setToken(rtmToken)
        .setLegacyBinding(Legacy006Binding.newBuilder().setChannelName("ann").setUid("")).build()).getIssuedToken();
    assertThat(verify(rtmRenewed.getToken(), "ann", "").privilegeMap()).isEqualTo(Map.of(1000, 0L));
    assertLivesADayFromNow(rtmRenewed);
  }

  @Test
  void anExplicitRenewalLifetimeOfZeroAsksForTheVendorDefaultAndNeverWidensAShorterPrivilege() {
    String token = stub.issueRtcToken(rtc006().setLifetimeSeconds(600).setRole(RtcRole.RTC_ROLE_PUBLISHER).build())
        .getIssuedToken().getToken();
    IssuedToken renewed = stub.renewToken(RenewTokenRequest.newBuilder().setToken(token).setLifetimeSeconds(0)
        .setLegacyBinding(Legacy006Binding.newBuilder().setChannelName("room").setUid("42")).build()).getIssuedToken();
    long now = CLOCK.instant().getEpochSecond();
    assertThat(verify(renewed.getToken(), "room", "42").privilegeMap())
        .as("each privilege keeps its 600 s").isEqualTo(Map.of(1, now + 600, 2, now + 600, 3, now + 600, 4, now + 600));
    assertThat(renewed.getExpiresAt().getSeconds()).isEqualTo(now + DAY);
  }

  @Test
  void inspectTokenReportsTheEffectiveExpiryOfTheVendorDefault() {
    IssuedToken t = stub.issueRtcToken(rtc006().setRole(RtcRole.RTC_ROLE_PUBLISHER).build()).getIssuedToken();
    InspectTokenResponse r = stub.inspectToken(InspectTokenRequest.newBuilder().setToken(t.getToken())
        .setLegacyBinding(Legacy006Binding.newBuilder().setChannelName("room").setUid("42")).build());
    assertThat(r.getValidity()).isEqualTo(Validity.VALIDITY_VALID);
    assertThat(r.getIssuedAt().getSeconds()).isEqualTo(CLOCK.instant().getEpochSecond());
    assertThat(r.getExpiresAt().getSeconds()).isEqualTo(CLOCK.instant().getEpochSecond() + DAY);
    assertThat(r.getPrivilegesList()).hasSize(4).allSatisfy(p -> assertThat(p.hasExpiresAt()).isFalse());
  }

  @Test
  void lifetimeZeroStaysRefusedFor007() {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> stub.issueRtmToken(
        IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("ann").setLifetimeSeconds(0).build()));
    assertThat(Errors.of(e).code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(Errors.of(e).reason()).isEqualTo("LIFETIME_NOT_POSITIVE");
  }
}
