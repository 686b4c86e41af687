package dev.tokenauthority.server.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.InspectTokenResponse;
import dev.tokenauthority.api.v1.IntendedAction;
import dev.tokenauthority.api.v1.IntendedUse;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.AgoraChatApp;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.Legacy006Binding;
import dev.tokenauthority.api.v1.RtcPrivilegeLifetimes;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.api.v1.TokenFormat;
import dev.tokenauthority.api.v1.UseFinding;
import dev.tokenauthority.api.v1.ZegoRoomPrivileges;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcUser;
import dev.tokenauthority.core.agora007.AccessToken2Builder;
import dev.tokenauthority.core.agora007.RtcService;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.config.DevelopmentConfig;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.testing.Errors;
import dev.tokenauthority.server.testing.PerCallDeadline;
import dev.tokenauthority.server.testing.TestCredentials;
import dev.tokenauthority.server.testing.TestServer;
import dev.tokenauthority.testing.MutableClock;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * InspectToken with an intended use, over a real loopback socket against the development
 * default: for each finding, a token the server issued and a use producing exactly that finding,
 * and a matching use producing none (would_accept). Bad intended uses are INVALID_ARGUMENT.
 */
class InspectDiagnosisOverGrpcTest {
  static final long T0 = 1_764_748_800L;
  static final MutableClock CLOCK = new MutableClock(Instant.ofEpochSecond(T0));
  static ServerConfig cfg;
  static TestServer server;
  static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    cfg = DevelopmentConfig.create(new SecureRandom());
    server = TestServer.start(cfg, CLOCK);
    channel = server.plaintextChannel();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** A fresh deadline for every call. */
  static TokenAuthorityServiceBlockingStub stub() {
    return TokenAuthorityServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(PerCallDeadline.DEFAULT.toMillis(), TimeUnit.MILLISECONDS);
  }

  static String rtc(UnaryOperator<IssueRtcTokenRequest.Builder> b) {
    return stub().issueRtcToken(b.apply(IssueRtcTokenRequest.newBuilder().setApp("agora").setChannelName("room1")
        .setLifetimeSeconds(3600).setRole(RtcRole.RTC_ROLE_PUBLISHER)).build()).getIssuedToken().getToken();
  }

  static String zego(ZegoRoomPrivileges room) {
    return stub().issueZimToken(IssueZimTokenRequest.newBuilder().setApp("zego").setUserId("zuser")
        .setLifetimeSeconds(3600).setRoom(room).build()).getIssuedToken().getToken();
  }

  static ZegoRoomPrivileges room(boolean login, boolean publish, String... streams) {
    return ZegoRoomPrivileges.newBuilder().setRoomId("r1").setCanLogin(login).setCanPublish(publish)
        .addAllStreamIds(List.of(streams)).build();
  }

  static IntendedUse.Builder at(long offset) {
    return IntendedUse.newBuilder().setAt(Timestamp.newBuilder().setSeconds(T0 + offset));
  }

  record Case(String name, String token, String expected, IntendedUse wrong, IntendedUse right) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    String alice = rtc(b -> b.setUserAccount("alice"));
    String uid0 = rtc(b -> b.setUid(0));
    String uid42 = rtc(b -> b.setUid(42));
    String zego = zego(room(true, true, "s1"));
    String agoraAppId = ((AgoraApp) cfg.apps().get("agora")).appId();
    return Stream.of(
        new Case("account token used with a uid", alice, "USER_KIND_MISMATCH",
            at(60).setUid(1234).setAction(IntendedAction.INTENDED_ACTION_RTC_JOIN_CHANNEL).build(),
            at(60).setUserAccount("alice").setAction(IntendedAction.INTENDED_ACTION_RTC_JOIN_CHANNEL).build()),
        new Case("uid 0 token used with account \"0\"", uid0, "USER_KIND_MISMATCH",
            at(60).setUserAccount("0").build(), at(60).setUid(0).build()),
        new Case("channel", uid42, "CHANNEL_MISMATCH",
            at(60).setChannelName("room2").setUid(42).build(), at(60).setChannelName("room1").setUid(42).build()),
        new Case("uid", uid42, "USER_MISMATCH", at(60).setUid(43).build(), at(60).setUid(42).build()),
        new Case("app id", uid42, "APP_ID_MISMATCH",
            at(60).setAppId("0".repeat(32)).build(), at(60).setAppId(agoraAppId).build()),
        new Case("subscriber publishing", rtc(b -> b.setUid(42).setRole(RtcRole.RTC_ROLE_SUBSCRIBER)),
            "PRIVILEGE_MISSING",
            at(60).setAction(IntendedAction.INTENDED_ACTION_RTC_PUBLISH_VIDEO).build(),
            at(60).setAction(IntendedAction.INTENDED_ACTION_RTC_JOIN_CHANNEL).build()),
        new Case("join privilege of 300 s", rtc(b -> b.setUid(42).clearRole().setPrivilegeLifetimes(
                RtcPrivilegeLifetimes.newBuilder().setJoinChannelSeconds(300).setPublishAudioSeconds(0))),
            "PRIVILEGE_EXPIRED",
            at(600).setAction(IntendedAction.INTENDED_ACTION_RTC_JOIN_CHANNEL).build(),
            at(600).setAction(IntendedAction.INTENDED_ACTION_RTC_PUBLISH_AUDIO).build()),
        new Case("token expired", uid42, "TOKEN_EXPIRED", at(3600).build(), at(3599).build()),
        new Case("not yet valid", uid42, "TOKEN_NOT_YET_VALID", at(-1).build(), at(0).build()),
        new Case("RTM-only token for RTC",
            stub().issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("agora").setUserId("u1")
                .setLifetimeSeconds(3600).build()).getIssuedToken().getToken(),
            "SERVICE_MISSING",
            at(60).setAction(IntendedAction.INTENDED_ACTION_RTC_JOIN_CHANNEL).build(),
            at(60).setRtmUserId("u1").setAction(IntendedAction.INTENDED_ACTION_RTM_LOGIN).build()),
        new Case("RTM-only token, an RTC channel and account without an action",
            stub().issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("agora").setUserId("u1")
                .setLifetimeSeconds(3600).build()).getIssuedToken().getToken(),
            "SERVICE_MISSING",
            at(60).setChannelName("room1").setUserAccount("u1").build(), at(60).setRtmUserId("u1").build()),
        new Case("chat app token for a login",
            stub().issueChatToken(IssueChatTokenRequest.newBuilder().setApp("agora")
                .setAgoraApp(AgoraChatApp.getDefaultInstance()).setLifetimeSeconds(3600).build())
                .getIssuedToken().getToken(),
            "PRIVILEGE_MISSING",
            at(60).setAction(IntendedAction.INTENDED_ACTION_CHAT_LOGIN).build(), at(60).build()),
        new Case("ZEGO user", zego, "USER_MISMATCH",
            at(60).setZegoUserId("other").setAction(IntendedAction.INTENDED_ACTION_ZEGO_LOGIN).build(),
            at(60).setZegoUserId("zuser").setAction(IntendedAction.INTENDED_ACTION_ZEGO_LOGIN).build()),
        new Case("ZEGO room", zego, "ZEGO_ROOM_NOT_COVERED",
            at(60).setZegoRoomId("r2").setAction(IntendedAction.INTENDED_ACTION_ZEGO_ROOM_LOGIN).build(),
            at(60).setZegoRoomId("r1").setAction(IntendedAction.INTENDED_ACTION_ZEGO_ROOM_LOGIN).build()),
        new Case("ZEGO stream", zego, "ZEGO_STREAM_NOT_COVERED",
            at(60).setZegoRoomId("r1").setZegoStreamId("s2")
                .setAction(IntendedAction.INTENDED_ACTION_ZEGO_ROOM_PUBLISH).build(),
            at(60).setZegoRoomId("r1").setZegoStreamId("s1")
                .setAction(IntendedAction.INTENDED_ACTION_ZEGO_ROOM_PUBLISH).build()),
        new Case("ZEGO publish", zego(room(true, false)), "ZEGO_PUBLISH_NOT_ALLOWED",
            at(60).setZegoRoomId("r1").setAction(IntendedAction.INTENDED_ACTION_ZEGO_ROOM_PUBLISH).build(),
            at(60).setZegoRoomId("r1").setAction(IntendedAction.INTENDED_ACTION_ZEGO_ROOM_LOGIN).build()));
  }

  static InspectTokenResponse inspect(String token, IntendedUse use) {
    return stub().inspectToken(InspectTokenRequest.newBuilder().setToken(token).setIntendedUse(use).build());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachFindingExactlyAndNoneForTheMatchingUse(Case c) {
    InspectTokenResponse wrong = inspect(c.token(), c.wrong());
    assertThat(wrong.getFindingsList()).extracting(UseFinding::getReason).containsExactly(c.expected());
    assertThat(wrong.hasWouldAccept()).isTrue();
    assertThat(wrong.getWouldAccept()).isFalse();
    assertThat(wrong.getFindings(0).getFix()).isNotBlank();
    InspectTokenResponse right = inspect(c.token(), c.right());
    assertThat(right.getFindingsList()).isEmpty();
    assertThat(right.getWouldAccept()).isTrue();
    assertThat(right.getJudgedAt()).isEqualTo(c.right().getAt());
  }

  @Test
  void withoutAnIntendedUseTheAnswerIsUnchanged() {
    InspectTokenResponse r = stub().inspectToken(InspectTokenRequest.newBuilder()
        .setToken(rtc(b -> b.setUid(42))).build());
    assertThat(r.hasWouldAccept()).isFalse();
    assertThat(r.getFindingsList()).isEmpty();
    assertThat(r.hasJudgedAt()).isFalse();
  }

  @Test
  void theMomentDefaultsToTheServersNow() {
    String token = rtc(b -> b.setUid(42));
    InspectTokenResponse r = inspect(token, IntendedUse.newBuilder().setUid(42).build());
    assertThat(r.getWouldAccept()).isTrue();
    assertThat(r.getJudgedAt().getSeconds()).isEqualTo(CLOCK.instant().getEpochSecond());
  }

  @Test
  void aForgedTokenIsNotAuthenticWhateverTheUse() {
    AgoraApp agora = (AgoraApp) cfg.apps().get("agora");
    String forged = AccessToken2Builder.create().appId(agora.appId()).issueTs(T0).expire(3600)
        .addService(RtcService.of("room1", RtcUser.uid(42), Map.of(RtcPrivilege.JOIN_CHANNEL, 0L)))
        .sign(Secret.of(TestCredentials.hex32())).token();
    InspectTokenResponse r = inspect(forged, at(60).setUid(42).setChannelName("room1").build());
    assertThat(r.getFindingsList()).extracting(UseFinding::getReason).containsExactly("TOKEN_NOT_AUTHENTIC");
    assertThat(r.getWouldAccept()).isFalse();
  }

  @Test
  void a006TokenIsVerifiedAgainstTheIntendedChannelAndUserAndItsCrcsAreCompared() {
    String token = rtc(b -> b.setUid(42).setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006));
    InspectTokenResponse r = inspect(token, at(60).setChannelName("room2").setUid(42).build());
    assertThat(r.getFindingsList()).extracting(UseFinding::getReason)
        .containsExactly("TOKEN_NOT_VERIFIED", "CHANNEL_MISMATCH");
    InspectTokenResponse noBinding = inspect(token, at(60).setChannelName("room1").setUid(42).build());
    assertThat(noBinding.getFindingsList()).isEmpty();
    assertThat(noBinding.getValidity()).isEqualTo(dev.tokenauthority.api.v1.Validity.VALIDITY_VALID);
    // Only the CRC of the uid text is known: another user, whatever its kind.
    InspectTokenResponse other = inspect(token, at(60).setChannelName("room1").setUserAccount("42x").build());
    assertThat(other.getFindingsList()).extracting(UseFinding::getReason)
        .containsExactly("TOKEN_NOT_VERIFIED", "USER_MISMATCH");
    InspectTokenResponse bound = stub().inspectToken(InspectTokenRequest.newBuilder().setToken(token)
        .setLegacyBinding(Legacy006Binding.newBuilder().setChannelName("room1").setUid("42"))
        .setIntendedUse(at(60).setChannelName("room1").setUid(42)).build());
    assertThat(bound.getFindingsList()).isEmpty();
    assertThat(bound.getWouldAccept()).isTrue();
  }

  @Test
  void badIntendedUsesAreInvalidArgumentNamingTheField() {
    String token = rtc(b -> b.setUid(42));
    Map<IntendedUse, String[]> bad = Map.of(
        IntendedUse.newBuilder().setUid(-1).build(), new String[] {"intended_use.uid", "INTENDED_UID_OUT_OF_RANGE"},
        IntendedUse.newBuilder().setUid(1L << 32).build(), new String[] {"intended_use.uid", "INTENDED_UID_OUT_OF_RANGE"},
        IntendedUse.newBuilder().setUserAccount("").build(),
        new String[] {"intended_use.user_account", "INTENDED_ACCOUNT_EMPTY"},
        IntendedUse.newBuilder().setActionValue(99).build(), new String[] {"intended_use.action", "INTENDED_ACTION_UNKNOWN"},
        IntendedUse.newBuilder().setAction(IntendedAction.INTENDED_ACTION_ZEGO_ROOM_LOGIN).build(),
        new String[] {"intended_use.zego_room_id", "INTENDED_ROOM_MISSING"},
        IntendedUse.newBuilder().setZegoStreamId("s").build(),
        new String[] {"intended_use.zego_stream_id", "INTENDED_STREAM_WITHOUT_PUBLISH"},
        IntendedUse.newBuilder().setChannelName("c".repeat(5000)).build(),
        // The server's first length check on every request field answers before the diagnosis.
        new String[] {"intended_use.channel_name", "FIELD_TOO_LONG"},
        IntendedUse.newBuilder().setAt(Timestamp.newBuilder().setSeconds(-5)).build(),
        new String[] {"intended_use.at", "INTENDED_TIME_INVALID"});
    bad.forEach((use, expected) -> {
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> inspect(token, use));
      Errors.Seen seen = Errors.of(e);
      assertThat(seen.code()).as(expected[1]).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(seen.reason()).isEqualTo(expected[1]);
      assertThat(seen.field()).contains(expected[0]);
      assertThat(seen.message()).hasSizeLessThan(200);
    });
  }
}
