package dev.tokenauthority.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.AgoraChatApp;
import dev.tokenauthority.api.v1.AgoraChatUser;
import dev.tokenauthority.api.v1.EasemobUser;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.api.v1.ZegoRoomPrivileges;
import dev.tokenauthority.server.testing.Errors;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.MtlsServer;
import dev.tokenauthority.server.testing.RecordingTokenEngine;
import dev.tokenauthority.testing.MutableClock;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Authorise, then sign: over mTLS, every issue RPC and RenewToken refused by the caller's policy
 * never reaches the signer (a recording engine counts signatures); an allowed call signs once.
 */
@ExtendWith(LogCapture.class)
class AuthoriseBeforeSigningTest {
  static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  static final RecordingTokenEngine ENGINE = new RecordingTokenEngine();
  @TempDir static Path dir;
  static final String NARROW = "spiffe://test.example/narrow";
  static MtlsServer server;

  @BeforeAll
  static void start() throws Exception {
    server = MtlsServer.start(dir, CLOCK, ENGINE, """
          - identity: %s
            apps: [rtc, zim, im]
            rpcs: ["*"]
            token_kinds: [rtc, rtm, zim, chat_user, easemob_user]
            rtc_roles: [subscriber]
            channel_pattern: "game-[0-9]+"
            user_pattern: "u[0-9]+"
        """.formatted(NARROW), "");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static TokenAuthorityServiceBlockingStub full() throws Exception {
    return server.stub(MtlsServer.FULL);
  }

  static TokenAuthorityServiceBlockingStub narrow() throws Exception {
    return server.stub(NARROW);
  }

  record Refused(String name, String reason, StubCall call) {
    @Override
    public String toString() {
      return name;
    }
  }

  interface StubCall {
    void accept(TokenAuthorityServiceBlockingStub stub) throws Exception;
  }

  static IssueRtcTokenRequest.Builder rtc() {
    return IssueRtcTokenRequest.newBuilder().setApp("rtc").setChannelName("game-1").setUserAccount("u1")
        .setRole(RtcRole.RTC_ROLE_SUBSCRIBER);
  }

  static Stream<Refused> refusedCalls() {
    return Stream.of(
        new Refused("RTC publisher", "RTC_ROLE_NOT_ALLOWED",
            s -> s.issueRtcToken(rtc().setRole(RtcRole.RTC_ROLE_PUBLISHER).build())),
        new Refused("RTC channel", "CHANNEL_NOT_ALLOWED", s -> s.issueRtcToken(rtc().setChannelName("lobby").build())),
        new Refused("RTC user", "USER_NOT_ALLOWED", s -> s.issueRtcToken(rtc().setUserAccount("bob").build())),
        new Refused("RTC with RTM for another user", "USER_NOT_ALLOWED",
            s -> s.issueRtcToken(rtc().setIncludeRtm(true).setRtmUserId("bob").build())),
        new Refused("RTM user", "USER_NOT_ALLOWED",
            s -> s.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("bob").build())),
        new Refused("ZIM user", "USER_NOT_ALLOWED",
            s -> s.issueZimToken(IssueZimTokenRequest.newBuilder().setApp("zim").setUserId("bob").build())),
        new Refused("ZIM room", "CHANNEL_NOT_ALLOWED",
            s -> s.issueZimToken(IssueZimTokenRequest.newBuilder().setApp("zim").setUserId("u1")
                .setRoom(ZegoRoomPrivileges.newBuilder().setRoomId("lobby").setCanLogin(true)).build())),
        new Refused("Chat user", "USER_NOT_ALLOWED",
            s -> s.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("rtc")
                .setAgoraUser(AgoraChatUser.newBuilder().setUserUuid("bob")).build())),
        new Refused("Chat app", "TOKEN_KIND_NOT_ALLOWED",
            s -> s.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("rtc")
                .setAgoraApp(AgoraChatApp.getDefaultInstance()).build())),
        new Refused("Easemob dynamic user", "USER_NOT_ALLOWED",
            s -> s.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("im")
                .setEasemobUser(EasemobUser.newBuilder().setUserId("bob")).build())),
        new Refused("Renewal of another channel's token", "CHANNEL_NOT_ALLOWED", s -> {
          String lobby = full().issueRtcToken(rtc().setChannelName("lobby").build()).getIssuedToken().getToken();
          ENGINE.reset();
          s.renewToken(RenewTokenRequest.newBuilder().setToken(lobby).build());
        }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedCalls")
  void aCallRefusedByPolicyNeverReachesTheSigner(Refused refused) {
    ENGINE.reset();
    assertThatThrownBy(() -> refused.call.accept(narrow()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          Errors.Seen seen = Errors.of(e);
          assertThat(seen.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(seen.reason()).isEqualTo(refused.reason);
        });
    assertThat(ENGINE.signs()).as("tokens signed for a refused call").isZero();
  }

  @Test
  void anAllowedCallSignsOnce() throws Exception {
    ENGINE.reset();
    narrow().issueRtcToken(rtc().build());
    assertThat(ENGINE.signs()).isEqualTo(1);
    String token = narrow().issueRtcToken(rtc().build()).getIssuedToken().getToken();
    ENGINE.reset();
    narrow().renewToken(RenewTokenRequest.newBuilder().setToken(token).build());
    assertThat(ENGINE.signs()).isEqualTo(1);
  }
}
