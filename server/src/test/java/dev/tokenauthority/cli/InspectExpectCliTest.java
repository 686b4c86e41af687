package dev.tokenauthority.cli;

import static dev.tokenauthority.core.diagnose.DiagnosisTokens.ISSUED;
import static dev.tokenauthority.core.diagnose.DiagnosisTokens.room;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenauthority.core.agora.RtcUser;
import dev.tokenauthority.core.diagnose.DiagnosisTokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code inspect --expect-*} in-process (picocli with captured streams and its own environment):
 * for each finding, a token and expected use giving exactly that finding (exit 3) and a matching
 * use giving none (exit 0), in JSON; and the text form of a refusal.
 */
class InspectExpectCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Map<String, String> ENV = Map.of("CERT", DiagnosisTokens.AGORA_CERT.reveal(),
      "ZSECRET", DiagnosisTokens.ZEGO_SECRET.reveal(), "ESECRET", DiagnosisTokens.EASEMOB_SECRET.reveal(),
      "WRONG", "0123456789abcdef0123456789abcdef");
  static final String DURING = Long.toString(ISSUED + 600);

  record Run(int exit, String out, String err) {}

  static Run inspect(String... args) {
    InspectCommand command = new InspectCommand();
    command.environment = ENV;
    CommandLine cli = new CommandLine(command);
    cli.setExitCodeExceptionMapper(ExitCodes::forException);
    cli.setParameterExceptionHandler(ExitCodes::onParameterException);
    cli.setExecutionExceptionHandler(ExitCodes::onExecutionException);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  record Case(String name, String token, String expected, String wrong, String right) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<String> credential(String token) {
    if (token.startsWith("04")) {
      return List.of("--secret-env", "ZSECRET", "--app-id", Long.toString(DiagnosisTokens.ZEGO_APP));
    }
    if (token.startsWith("00")) {
      return List.of("--certificate-env", "CERT");
    }
    return List.of("--client-id", DiagnosisTokens.EASEMOB_CLIENT, "--client-secret-env", "ESECRET",
        "--appkey", DiagnosisTokens.EASEMOB_APPKEY);
  }

  static Stream<Case> cases() {
    String alice = DiagnosisTokens.rtc("room1", RtcUser.account("alice"));
    String uid42 = DiagnosisTokens.rtc("room1", RtcUser.uid(42));
    String zego = DiagnosisTokens.zego("zuser", room("r1", true, true, List.of("s1")));
    return Stream.of(
        new Case("account token, uid", alice, "USER_KIND_MISMATCH", "--expect-uid 1234", "--expect-account alice"),
        new Case("uid 0 token, account 0", DiagnosisTokens.rtc("room1", RtcUser.uid(0)), "USER_KIND_MISMATCH",
            "--expect-account 0", "--expect-uid 0"),
        new Case("account 0 token, uid 0", DiagnosisTokens.rtc("room1", RtcUser.account("0")), "USER_KIND_MISMATCH",
            "--expect-uid 0", "--expect-account 0"),
        new Case("channel", uid42, "CHANNEL_MISMATCH", "--expect-channel room2", "--expect-channel room1"),
        new Case("006 channel, verified with the expected binding", DiagnosisTokens.legacyRtc("room1", "42"),
            "CHANNEL_MISMATCH", "--channel room1 --uid 42 --expect-channel room2 --expect-uid 42",
            "--expect-channel room1 --expect-uid 42"),
        new Case("uid", uid42, "USER_MISMATCH", "--expect-uid 43", "--expect-uid 42"),
        new Case("RTM user", DiagnosisTokens.rtm("u1"), "USER_MISMATCH",
            "--expect-service rtm --expect-rtm-user u2", "--expect-service rtm --expect-rtm-user u1"),
        new Case("chat user", DiagnosisTokens.chatUser("uuid-1"), "USER_MISMATCH",
            "--expect-service chat --expect-chat-user uuid-2", "--expect-service chat --expect-chat-user uuid-1"),
        new Case("Easemob user", DiagnosisTokens.easemob("alice"), "USER_MISMATCH",
            "--expect-service chat --expect-chat-user bob", "--expect-service chat --expect-chat-user alice"),
        new Case("ZEGO user", zego, "USER_MISMATCH", "--expect-service zego --expect-zego-user x",
            "--expect-service zego --expect-zego-user zuser"),
        new Case("app id", uid42, "APP_ID_MISMATCH", "--expect-app-id " + "0".repeat(32),
            "--expect-app-id " + DiagnosisTokens.AGORA_APP),
        new Case("subscriber publishing", DiagnosisTokens.rtc("room1", RtcUser.uid(42), false, 0), "PRIVILEGE_MISSING",
            "--expect-privilege publish-audio", "--expect-privilege join"),
        new Case("join privilege of 300 s", DiagnosisTokens.rtc("room1", RtcUser.uid(42), true, 300),
            "PRIVILEGE_EXPIRED", "--expect-service rtc", "--expect-privilege publish-video"),
        new Case("token expired", uid42, "TOKEN_EXPIRED", "--expect-uid 42 --at " + (ISSUED + 3600),
            "--expect-uid 42 --at " + (ISSUED + 3599)),
        new Case("not yet valid", uid42, "TOKEN_NOT_YET_VALID", "--expect-uid 42 --at 2025-12-03T07:59:59Z",
            "--expect-uid 42 --at 2025-12-03T08:00:00Z"),
        new Case("RTM-only token for RTC", DiagnosisTokens.rtm("u1"), "SERVICE_MISSING", "--expect-service rtc",
            "--expect-service rtm"),
        new Case("RTM-only token, an RTC channel and account without --expect-service", DiagnosisTokens.rtm("u1"),
            "SERVICE_MISSING", "--expect-channel room1 --expect-account u1", "--expect-rtm-user u1"),
        new Case("ZEGO room", zego, "ZEGO_ROOM_NOT_COVERED", "--expect-service zego --expect-room r2",
            "--expect-service zego --expect-room r1"),
        new Case("ZEGO stream", zego, "ZEGO_STREAM_NOT_COVERED",
            "--expect-service zego --expect-privilege publish --expect-room r1 --expect-stream s2",
            "--expect-service zego --expect-privilege publish --expect-room r1 --expect-stream s1"),
        new Case("ZEGO publish", DiagnosisTokens.zego("zuser", room("r1", true, false, List.of())),
            "ZEGO_PUBLISH_NOT_ALLOWED", "--expect-service zego --expect-privilege publish --expect-room r1",
            "--expect-service zego --expect-room r1"));
  }

  static Run judge(String token, String expectations, String... more) {
    List<String> args = new ArrayList<>(List.of(token));
    args.addAll(credential(token));
    args.addAll(List.of(expectations.split(" ")));
    if (!expectations.contains("--at")) {
      args.addAll(List.of("--at", DURING));
    }
    args.addAll(List.of(more));
    return inspect(args.toArray(String[]::new));
  }

  static List<String> reasons(Run run) throws Exception {
    JsonNode findings = JSON.readTree(run.out()).get("findings");
    List<String> out = new ArrayList<>();
    findings.forEach(f -> out.add(f.get("reason").asText()));
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exactlyTheFindingAndExit3ThenNoneAndExit0(Case c) throws Exception {
    Run wrong = judge(c.token(), c.wrong(), "--json");
    assertThat(wrong.exit()).as(wrong.err()).isEqualTo(3);
    assertThat(reasons(wrong)).containsExactly(c.expected());
    assertThat(JSON.readTree(wrong.out()).get("would_accept").asBoolean()).isFalse();
    Run right = judge(c.token(), c.right(), "--json");
    assertThat(right.exit()).as(right.out() + right.err()).isZero();
    assertThat(reasons(right)).isEmpty();
    assertThat(JSON.readTree(right.out()).get("would_accept").asBoolean()).isTrue();
  }

  @Test
  void textModePrintsTheVerdictAndEachFindingWithItsFix() {
    Run run = judge(DiagnosisTokens.rtc("room1", RtcUser.account("alice")), "--expect-uid 1234");
    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.out()).containsPattern("(?m)^would_accept +no$")
        .containsPattern("(?m)^findings +USER_KIND_MISMATCH: the token holds the string user account \"alice\"")
        .containsPattern("(?m)^ +fix: join with the user account \"alice\"");
  }

  @Test
  void withoutACredentialTheUseIsNotProvenAcceptable() throws Exception {
    Run run = inspect(DiagnosisTokens.rtc("room1", RtcUser.uid(42)), "--expect-uid", "42",
        "--at", DURING, "--json");
    assertThat(run.exit()).isEqualTo(3);
    assertThat(reasons(run)).containsExactly("TOKEN_NOT_VERIFIED");
  }

  @Test
  void aTokenOfAnotherCertificateIsNotAuthentic() throws Exception {
    Run run = inspect(DiagnosisTokens.rtc("room1", RtcUser.uid(42)), "--certificate-env", "WRONG",
        "--expect-uid", "42", "--at", DURING, "--json");
    assertThat(run.exit()).isEqualTo(3);
    assertThat(reasons(run)).containsExactly("TOKEN_NOT_AUTHENTIC");
    assertThat(run.err()).contains("not verified (SIGNATURE_MISMATCH)");
  }

  @Test
  void badExpectationsAreUsageErrors() {
    String token = DiagnosisTokens.rtc("room1", RtcUser.uid(42));
    assertThat(inspect(token, "--expect-uid", "42", "--expect-account", "a").exit()).isEqualTo(2);
    assertThat(inspect(token, "--expect-uid", "-1").exit()).isEqualTo(2);
    assertThat(inspect(token, "--expect-service", "rtm", "--expect-privilege", "publish-audio").exit()).isEqualTo(2);
    assertThat(inspect(token, "--expect-privilege", "login").exit()).isEqualTo(2);
    Run badTime = inspect(token, "--expect-uid", "42", "--at", "yesterday");
    assertThat(badTime.exit()).isEqualTo(2);
    assertThat(badTime.err()).contains("RFC 3339");
  }
}
