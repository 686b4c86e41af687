package dev.tokenauthority.core.diagnose;

import static dev.tokenauthority.core.diagnose.DiagnosisTokens.ISSUED;
import static dev.tokenauthority.core.diagnose.DiagnosisTokens.room;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.agora.RtcUser;
import dev.tokenauthority.core.detect.AnyToken;
import dev.tokenauthority.core.zego04.Token04Verifier;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Each finding: a token and a use that produce exactly that finding, and a matching use that
 * produces none (so the finding comes from the difference, not from the token).
 */
class UseDiagnoserTest {
  static final Instant DURING = Instant.ofEpochSecond(ISSUED + 600);

  record Case(String name, String token, FindingReason expected, UnaryOperator<IntendedUse.Builder> wrong,
      UnaryOperator<IntendedUse.Builder> right) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    String alice = DiagnosisTokens.rtc("room1", RtcUser.account("alice"));
    String uid0 = DiagnosisTokens.rtc("room1", RtcUser.uid(0));
    String account0 = DiagnosisTokens.rtc("room1", RtcUser.account("0"));
    String uid42 = DiagnosisTokens.rtc("room1", RtcUser.uid(42));
    String zegoRoom = DiagnosisTokens.zego("zuser", room("r1", true, true, List.of("s1", "s2")));
    return Stream.of(
        new Case("account token, numeric uid", alice, FindingReason.USER_KIND_MISMATCH,
            b -> b.uid(42).action(IntendedAction.RTC_JOIN_CHANNEL),
            b -> b.account("alice").action(IntendedAction.RTC_JOIN_CHANNEL)),
        new Case("uid 0 token, account \"0\"", uid0, FindingReason.USER_KIND_MISMATCH,
            b -> b.account("0"), b -> b.uid(0)),
        new Case("account \"0\" token, uid 0", account0, FindingReason.USER_KIND_MISMATCH,
            b -> b.uid(0), b -> b.account("0")),
        new Case("uid token, string account", uid42, FindingReason.USER_KIND_MISMATCH,
            b -> b.account("bob"), b -> b.uid(42)),
        new Case("006 account \"0\" token, uid 0 (CRC only)", DiagnosisTokens.legacyRtc("room1", "0"),
            FindingReason.USER_KIND_MISMATCH, b -> b.uid(0), b -> b.account("0")),
        new Case("uid 42 token, uid 43", uid42, FindingReason.USER_MISMATCH, b -> b.uid(43), b -> b.uid(42)),
        new Case("uid 0 token admits any uid, channel differs", uid0, FindingReason.CHANNEL_MISMATCH,
            b -> b.uid(7).channel("room2"), b -> b.uid(7).channel("room1")),
        new Case("006 channel (CRC only)", DiagnosisTokens.legacyRtc("room1", "42"), FindingReason.CHANNEL_MISMATCH,
            b -> b.channel("room2").uid(42), b -> b.channel("room1").uid(42)),
        new Case("RTM user", DiagnosisTokens.rtm("u1"), FindingReason.USER_MISMATCH,
            b -> b.rtmUserId("u2").action(IntendedAction.RTM_LOGIN), b -> b.rtmUserId("u1").action(IntendedAction.RTM_LOGIN)),
        new Case("006 RTM user (CRC only)", DiagnosisTokens.legacyRtm("u1"), FindingReason.USER_MISMATCH,
            b -> b.rtmUserId("u2").action(IntendedAction.RTM_LOGIN), b -> b.rtmUserId("u1").action(IntendedAction.RTM_LOGIN)),
        new Case("chat user", DiagnosisTokens.chatUser("uuid-1"), FindingReason.USER_MISMATCH,
            b -> b.chatUserId("uuid-2").action(IntendedAction.CHAT_LOGIN),
            b -> b.chatUserId("uuid-1").action(IntendedAction.CHAT_LOGIN)),
        new Case("Easemob user (case-insensitive)", DiagnosisTokens.easemob("alice"), FindingReason.USER_MISMATCH,
            b -> b.chatUserId("bob").action(IntendedAction.CHAT_LOGIN),
            b -> b.chatUserId("Alice").action(IntendedAction.CHAT_LOGIN)),
        new Case("ZEGO user", zegoRoom, FindingReason.USER_MISMATCH,
            b -> b.zegoUserId("other").action(IntendedAction.ZEGO_LOGIN),
            b -> b.zegoUserId("zuser").action(IntendedAction.ZEGO_LOGIN)),
        new Case("app id", uid42, FindingReason.APP_ID_MISMATCH,
            b -> b.appId("00000000000000000000000000000000"), b -> b.appId(DiagnosisTokens.AGORA_APP)),
        new Case("ZEGO app id", zegoRoom, FindingReason.APP_ID_MISMATCH,
            b -> b.appId("7654321"), b -> b.appId("1234567")),
        new Case("subscriber publishes", DiagnosisTokens.rtc("room1", RtcUser.uid(42), false, 0),
            FindingReason.PRIVILEGE_MISSING,
            b -> b.action(IntendedAction.RTC_PUBLISH_AUDIO), b -> b.action(IntendedAction.RTC_JOIN_CHANNEL)),
        new Case("chat app token for a login", DiagnosisTokens.chatApp(), FindingReason.PRIVILEGE_MISSING,
            b -> b.action(IntendedAction.CHAT_LOGIN), b -> b),
        new Case("ZEGO room without login", DiagnosisTokens.zego("zuser", room("r1", false, true, List.of())),
            FindingReason.PRIVILEGE_MISSING,
            b -> b.roomId("r1").action(IntendedAction.ZEGO_ROOM_LOGIN),
            b -> b.roomId("r1").action(IntendedAction.ZEGO_ROOM_PUBLISH)),
        new Case("join privilege of 300 s, used at 600 s", DiagnosisTokens.rtc("room1", RtcUser.uid(42), true, 300),
            FindingReason.PRIVILEGE_EXPIRED,
            b -> b.action(IntendedAction.RTC_JOIN_CHANNEL), b -> b.action(IntendedAction.RTC_PUBLISH_VIDEO)),
        new Case("token expired", uid42, FindingReason.TOKEN_EXPIRED,
            b -> b.at(Instant.ofEpochSecond(ISSUED + 3600)), b -> b.at(Instant.ofEpochSecond(ISSUED + 3599))),
        new Case("not yet valid", uid42, FindingReason.TOKEN_NOT_YET_VALID,
            b -> b.at(Instant.ofEpochSecond(ISSUED - 1)), b -> b.at(Instant.ofEpochSecond(ISSUED))),
        new Case("RTM-only token for RTC", DiagnosisTokens.rtm("u1"), FindingReason.SERVICE_MISSING,
            b -> b.action(IntendedAction.RTC_JOIN_CHANNEL).uid(5), b -> b.action(IntendedAction.RTM_LOGIN).uid(5)),
        new Case("RTM-only token, an RTC channel and user without an action", DiagnosisTokens.rtm("u1"),
            FindingReason.SERVICE_MISSING, b -> b.channel("room1").account("u1"), b -> b.rtmUserId("u1")),
        new Case("RTC-only token, an RTM user without an action", uid42, FindingReason.SERVICE_MISSING,
            b -> b.channel("room1").uid(42).rtmUserId("42"), b -> b.channel("room1").uid(42)),
        new Case("006 RTM token, a channel without an action", DiagnosisTokens.legacyRtm("u1"),
            FindingReason.SERVICE_MISSING, b -> b.channel("room1"), b -> b.rtmUserId("u1")),
        new Case("ZEGO token for Agora chat", zegoRoom, FindingReason.SERVICE_MISSING,
            b -> b.action(IntendedAction.CHAT_LOGIN), b -> b.action(IntendedAction.ZEGO_LOGIN)),
        new Case("ZEGO room", zegoRoom, FindingReason.ZEGO_ROOM_NOT_COVERED,
            b -> b.roomId("r2").action(IntendedAction.ZEGO_ROOM_LOGIN),
            b -> b.roomId("r1").action(IntendedAction.ZEGO_ROOM_LOGIN)),
        new Case("ZEGO stream", zegoRoom, FindingReason.ZEGO_STREAM_NOT_COVERED,
            b -> b.roomId("r1").streamId("s3").action(IntendedAction.ZEGO_ROOM_PUBLISH),
            b -> b.roomId("r1").streamId("s2").action(IntendedAction.ZEGO_ROOM_PUBLISH)),
        new Case("ZEGO publish", DiagnosisTokens.zego("zuser", room("r1", true, false, List.of())),
            FindingReason.ZEGO_PUBLISH_NOT_ALLOWED,
            b -> b.roomId("r1").action(IntendedAction.ZEGO_ROOM_PUBLISH),
            b -> b.roomId("r1").action(IntendedAction.ZEGO_ROOM_LOGIN)))
        .map(Arguments::of);
  }

  static TokenClaims claims(String token) {
    AnyToken t = AnyToken.parse(token);
    if (t.claims().isPresent()) {
      return t.claims().get();
    }
    return Token04Verifier.builder().serverSecret(DiagnosisTokens.ZEGO_SECRET)
        .expectedAppId(DiagnosisTokens.ZEGO_APP).build().decrypt(token).claims();
  }

  static List<FindingReason> reasons(String token, UnaryOperator<IntendedUse.Builder> use) {
    return UseDiagnoser.diagnose(claims(token), use.apply(IntendedUse.builder().at(DURING)).build())
        .stream().map(Finding::reason).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theDifferingUseGivesExactlyThatFindingAndTheMatchingOneNone(Case c) {
    assertThat(reasons(c.token(), c.wrong())).as(c.name()).containsExactly(c.expected());
    assertThat(reasons(c.token(), c.right())).as(c.name()).isEmpty();
  }

  @Test
  void everyFindingAboutTheTokenIsCoveredByACase() {
    List<FindingReason> covered = cases().map(a -> ((Case) a.get()[0]).expected()).distinct().toList();
    // The two authenticity findings come from the caller's verification, not from the claims.
    assertThat(Stream.of(FindingReason.values())
        .filter(r -> r != FindingReason.TOKEN_NOT_AUTHENTIC && r != FindingReason.TOKEN_NOT_VERIFIED))
        .allMatch(covered::contains);
  }

  @Test
  void kindMismatchSaysWhichKindTheTokenHolds() {
    Finding f = UseDiagnoser.diagnose(claims(DiagnosisTokens.rtc("room1", RtcUser.account("alice"))),
        IntendedUse.builder().at(DURING).uid(1234).build()).get(0);
    assertThat(f.message()).contains("string user account \"alice\"").contains("numeric uid 1234");
    assertThat(f.fix()).contains("joinChannelWithUserAccount");
    Finding zero = UseDiagnoser.diagnose(claims(DiagnosisTokens.rtc("room1", RtcUser.uid(0))),
        IntendedUse.builder().at(DURING).account("0").build()).get(0);
    assertThat(zero.message()).contains("uid 0").contains("account \"0\"");
  }

  @Test
  void aMismatchAgainstA006CrcSaysOnlyThatTheTokenHoldsAnotherValue() {
    TokenClaims legacy = claims(DiagnosisTokens.legacyRtc("room1", "42"));
    Finding channel = UseDiagnoser.diagnose(legacy, IntendedUse.builder().at(DURING).channel("room2").build()).get(0);
    assertThat(channel.message())
        .isEqualTo("the token is for another channel (the token holds only its CRC-32), the use names \"room2\"");
    Finding user = UseDiagnoser.diagnose(legacy, IntendedUse.builder().at(DURING).uid(43).build()).get(0);
    assertThat(user.message())
        .isEqualTo("the token is for another user (the token holds only its CRC-32), the use names uid 43");
    Finding clear = UseDiagnoser.diagnose(claims(DiagnosisTokens.rtc("room1", RtcUser.uid(42))),
        IntendedUse.builder().at(DURING).channel("room2").build()).get(0);
    assertThat(clear.message()).isEqualTo("the token is for the channel \"room1\", the use names \"room2\"");
  }

  @Test
  void echoedValuesAreBounded() {
    String longChannel = "c".repeat(1000);
    Finding f = UseDiagnoser.diagnose(claims(DiagnosisTokens.rtc("room1", RtcUser.uid(1))),
        IntendedUse.builder().at(DURING).channel(longChannel).build()).get(0);
    assertThat(f.message()).hasSizeLessThan(300);
  }

  @Test
  void badIntendedUsesAreRefusedNamingTheField() {
    assertThatThrownBy(() -> IntendedUse.builder().uid(-1)).isInstanceOf(InvalidTokenInputException.class)
        .hasFieldOrPropertyWithValue("field", "intended_use.uid");
    assertThatThrownBy(() -> IntendedUse.builder().uid(4_294_967_296L)).isInstanceOf(InvalidTokenInputException.class);
    assertThatThrownBy(() -> IntendedUse.builder().at(DURING).uid(1).account("a").build())
        .isInstanceOf(InvalidTokenInputException.class).hasMessageContaining("not both");
    assertThatThrownBy(() -> IntendedUse.builder().at(DURING).action(IntendedAction.ZEGO_ROOM_LOGIN).build())
        .isInstanceOf(InvalidTokenInputException.class).hasFieldOrPropertyWithValue("field", "intended_use.zego_room_id");
    assertThatThrownBy(() -> IntendedUse.builder().at(DURING).streamId("s").build())
        .isInstanceOf(InvalidTokenInputException.class);
    assertThatThrownBy(() -> IntendedUse.builder().channel("x".repeat(1025)))
        .isInstanceOf(InvalidTokenInputException.class);
  }
}
