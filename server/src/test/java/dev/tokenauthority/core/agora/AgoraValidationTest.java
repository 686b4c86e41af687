package dev.tokenauthority.core.agora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora.issue.AgoraCredentials;
import dev.tokenauthority.core.agora.issue.ChatTokenRequest;
import dev.tokenauthority.core.agora.issue.IssueOverrides;
import dev.tokenauthority.core.agora.issue.RtcTokenRequest;
import dev.tokenauthority.core.agora.issue.RtmTokenRequest;
import dev.tokenauthority.core.Secret;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One case per validation rule: the exception names the field and the stable reason. */
class AgoraValidationTest {
  private static final String APP_ID = "970CA35de60c44645bbae8a215061b33";

  static RtcTokenRequest.Builder rtc() {
    return RtcTokenRequest.builder().channelName("room").uid(42).role(dev.tokenauthority.core.agora.RtcRole.PUBLISHER)
        .lifetimeSeconds(600);
  }

  static Arguments rule(String field, String reason, ThrowingCallable call) {
    return Arguments.of(Named.of(reason, call), field, reason);
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        rule("app_id", "APP_ID_FORMAT", () -> AgoraValidation.appId("970CA35de60c44645bbae8a215061b3")),
        rule("app_id", "APP_ID_FORMAT", () -> AgoraValidation.appId("970CA35de60c44645bbae8a215061b3g")),
        rule("app_id", "APP_ID_FORMAT", () -> AgoraValidation.appId(null)),
        rule("app_certificate", "APP_CERTIFICATE_FORMAT",
            () -> new AgoraCredentials(APP_ID, Secret.of("not-a-certificate"))),
        rule("channel_name", "CHANNEL_NAME_EMPTY", () -> rtc().channelName("").build()),
        rule("channel_name", "CHANNEL_NAME_TOO_LONG", () -> rtc().channelName("a".repeat(65)).build()),
        rule("channel_name", "CHANNEL_NAME_CHARSET", () -> rtc().channelName("caf\u00e9").build()),
        rule("channel_name", "CHANNEL_NAME_CHARSET", () -> rtc().channelName("a/b").build()),
        rule("uid", "UID_OUT_OF_RANGE", () -> rtc().uid(4_294_967_296L)),
        rule("uid", "UID_OUT_OF_RANGE", () -> rtc().uid(-1)),
        rule("user_account", "ACCOUNT_EMPTY", () -> rtc().userAccount("")),
        rule("user_account", "ACCOUNT_TOO_LONG", () -> rtc().userAccount("x".repeat(256))),
        rule("user_account", "ACCOUNT_CHARSET", () -> rtc().userAccount("tab\there")),
        rule("user", "USER_MISSING", () -> rtc().user(null).build()),
        rule("lifetime_seconds", "LIFETIME_TOO_LONG", () -> rtc().lifetimeSeconds(86_401).build()),
        rule("lifetime_seconds", "LIFETIME_NOT_POSITIVE", () -> rtc().lifetimeSeconds(0).build()),
        rule("lifetime_seconds", "LIFETIME_NOT_POSITIVE", () -> rtc().lifetimeSeconds(-5).build()),
        rule("privilege_lifetime_seconds", "PRIVILEGE_LIFETIME_NEGATIVE",
            () -> rtc().privilegeLifetimeSeconds(-1).build()),
        rule("privilege_lifetime_seconds", "PRIVILEGE_LIFETIME_TOO_LONG",
            () -> rtc().privilegeLifetimeSeconds(86_401).build()),
        rule("privilege_lifetimes.publish_video_seconds", "PRIVILEGE_LIFETIME_NEGATIVE",
            () -> rtc().role(null).privilegeLifetime(RtcPrivilege.PUBLISH_VIDEO, -1).build()),
        rule("privilege_lifetime_seconds", "PRIVILEGE_LIFETIME_WITHOUT_ROLE",
            () -> rtc().role(null).privilegeLifetime(RtcPrivilege.JOIN_CHANNEL, 5).privilegeLifetimeSeconds(5).build()),
        rule("role", "ROLE_MISSING", () -> rtc().role(null).build()),
        rule("role", "ROLE_AND_PRIVILEGES", () -> rtc().privilegeLifetime(RtcPrivilege.JOIN_CHANNEL, 5).build()),
        rule("include_rtm", "RTM_NOT_IN_006", () -> rtc().format(TokenFormat.AGORA_006).includeRtm(true).build()),
        rule("rtm_user_id", "RTM_USER_ID_WITHOUT_RTM", () -> rtc().rtmUserId("bob").build()),
        rule("rtm_user_id", "USER_ID_EMPTY", () -> rtc().uid(0).includeRtm(true).build()),
        rule("format", "FORMAT_UNSUPPORTED", () -> rtc().format(TokenFormat.ZEGO_04).build()),
        rule("user_id", "USER_ID_EMPTY", () -> RtmTokenRequest.of("", 600)),
        rule("user_id", "USER_ID_TOO_LONG", () -> RtmTokenRequest.of("u".repeat(65), 600)),
        rule("user_id", "USER_ID_CHARSET", () -> RtmTokenRequest.of("\u00fcser", 600)),
        rule("lifetime_seconds", "LIFETIME_TOO_LONG", () -> RtmTokenRequest.of("bob", 100_000)),
        rule("user_uuid", "USER_UUID_EMPTY", () -> ChatTokenRequest.user("", 600)),
        rule("user_uuid", "USER_UUID_EMPTY", () -> ChatTokenRequest.user(null, 600)),
        rule("user_uuid", "USER_UUID_CHARSET", () -> ChatTokenRequest.user("a b", 600)),
        rule("user_uuid", "USER_UUID_TOO_LONG", () -> ChatTokenRequest.user("a".repeat(65), 600)),
        rule("lifetime_seconds", "LIFETIME_NOT_POSITIVE", () -> ChatTokenRequest.app(0)),
        rule("issued_at", "ISSUED_AT_OUT_OF_RANGE", () -> IssueOverrides.of(-1, 1)),
        rule("issued_at", "ISSUED_AT_OUT_OF_RANGE", () -> IssueOverrides.of(1L << 32, 1)),
        rule("salt", "SALT_OUT_OF_RANGE", () -> IssueOverrides.of(1, 1L << 32)));
  }

  @ParameterizedTest
  @MethodSource("rules")
  void rejectsWithFieldAndReason(ThrowingCallable call, String field, String reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(InvalidTokenInputException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(e.getMessage()).startsWith(field + ": ");
        });
  }

  @Test
  void acceptsTheBoundaries() {
    assertThat(AgoraValidation.channelName("a".repeat(64))).hasSize(64);
    assertThat(AgoraValidation.channelName(" !#$%&()+-:;<=.>?@[]^_{}|~,azAZ09")).isNotEmpty();
    assertThat(AgoraValidation.uid(0)).isZero();
    assertThat(AgoraValidation.uid(4_294_967_295L)).isEqualTo(4_294_967_295L);
    assertThat(AgoraValidation.userAccount("x".repeat(255))).hasSize(255);
    assertThat(AgoraValidation.tokenLifetime("lifetime_seconds", 1)).isEqualTo(1);
    assertThat(AgoraValidation.tokenLifetime("lifetime_seconds", 86_400)).isEqualTo(86_400);
    assertThat(AgoraValidation.privilegeLifetime("privilege_lifetime_seconds", 0)).isZero();
    assertThat(AgoraValidation.appCertificate("5CFd2fd1755d40ecb72977518be15d3b")).isNotNull();
  }

  @Test
  void certificateValueNeverAppearsInTheMessage() {
    String secretLooking = "5CFd2fd1755d40ecb72977518be15d3bXX";
    assertThatThrownBy(() -> new AgoraCredentials(APP_ID, Secret.of(secretLooking)))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secretLooking).doesNotContain("5CFd2fd1"));
  }

  @Test
  void rtcUserWireText() {
    assertThat(RtcUser.uid(0).wireText()).isEmpty();
    assertThat(RtcUser.uid(4_294_967_295L).wireText()).isEqualTo("4294967295");
    assertThat(RtcUser.account("007").wireText()).isEqualTo("007");
  }
}
