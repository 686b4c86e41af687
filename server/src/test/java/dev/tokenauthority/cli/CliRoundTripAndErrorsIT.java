package dev.tokenauthority.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Mint-then-inspect round trips for every format, and exit codes and messages for bad input. */
class CliRoundTripAndErrorsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AGORA_APP = "970CA35de60c44645bbae8a215061b33";
  private static final String AGORA_CERT = "5CFd2fd1755d40ecb72977518be15d3b";
  private static final String ZEGO_SECRET = "0123456789abcdef0123456789abcdef";
  private static final String EM_SECRET = "YXA6S8ogAHXFfh8gY4zZoFQPLROg7DC";

  private final CliProcess cli = new CliProcess()
      .env("AGORA_CERT", AGORA_CERT)
      .env("ZEGO_SECRET", ZEGO_SECRET)
      .env("EM_SECRET", EM_SECRET)
      .env("OTHER_ZEGO_SECRET", "ffffffffffffffffffffffffffffffff");
  /** The same environment in this JVM: the error tables run their first row as a process, the rest here. */
  private final CliInProcess inProcess = new CliInProcess()
      .env("AGORA_CERT", AGORA_CERT)
      .env("ZEGO_SECRET", ZEGO_SECRET)
      .env("EM_SECRET", EM_SECRET)
      .env("OTHER_ZEGO_SECRET", "ffffffffffffffffffffffffffffffff");

  private String mint(String... args) {
    CliProcess.Result r = cli.run(args);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).isEmpty();
    assertThat(r.stdout().lines().count()).as("mint prints only the token").isEqualTo(1);
    return r.out();
  }

  private JsonNode inspect(String... args) throws Exception {
    CliProcess.Result r = cli.run(args);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    return JSON.readTree(r.out());
  }

  private static void assertRecent(JsonNode r, long lifetime) {
    long now = Instant.now().getEpochSecond();
    assertThat(r.get("issued_at").asLong()).isBetween(now - 600, now + 5);
    assertThat(r.get("expires_at").asLong() - r.get("issued_at").asLong()).isEqualTo(lifetime);
  }

  @Test
  void agoraRtcRoundTripWithRtm() throws Exception {
    String token = mint("mint", "agora-rtc", "--app-id", AGORA_APP, "--certificate-env", "AGORA_CERT",
        "--channel", "room-1", "--account", "alice", "--role", "subscriber", "--expire", "600", "--with-rtm");
    JsonNode r = inspect("inspect", token, "--certificate-env", "AGORA_CERT", "--json");

    assertThat(r.get("format").asText()).isEqualTo("agora-007");
    assertThat(r.get("app_id").asText()).isEqualTo(AGORA_APP);
    assertThat(r.get("channel").asText()).isEqualTo("room-1");
    assertThat(r.get("subject").asText()).isEqualTo("alice");
    assertThat(r.get("verified").asBoolean()).isTrue();
    assertThat(r.get("privileges").findValuesAsText("name")).contains("join_channel").doesNotContain("publish_audio");
    assertThat(r.get("privileges").findValuesAsText("service")).contains("rtm");
    assertRecent(r, 600);
  }

  @Test
  void agoraRtmAndChatRoundTrips() throws Exception {
    String rtm = mint("mint", "agora-rtm", "--app-id", AGORA_APP, "--certificate-env", "AGORA_CERT",
        "--user-id", "bob", "--expire", "120");
    JsonNode r = inspect("inspect", rtm, "--certificate-env", "AGORA_CERT", "--json");
    assertThat(r.get("subject").asText()).isEqualTo("bob");
    assertThat(r.get("verified").asBoolean()).isTrue();
    assertRecent(r, 120);

    String chat = mint("mint", "agora-chat", "--app-id", AGORA_APP, "--certificate-env", "AGORA_CERT",
        "--app", "--expire", "300");
    JsonNode c = inspect("inspect", chat, "--certificate-env", "AGORA_CERT", "--json");
    assertThat(c.get("privileges").findValuesAsText("name")).containsExactly("app");
    assertThat(c.get("verified").asBoolean()).isTrue();
  }

  @Test
  void agora006RoundTripNeedsTheBindingToVerify() throws Exception {
    String token = mint("mint", "agora-rtc", "--format", "006", "--app-id", AGORA_APP, "--certificate-env", "AGORA_CERT",
        "--channel", "ch", "--uid", "42", "--role", "publisher", "--expire", "600");
    JsonNode r = inspect("inspect", token, "--certificate-env", "AGORA_CERT", "--channel", "ch", "--uid", "42", "--json");
    assertThat(r.get("format").asText()).isEqualTo("agora-006");
    assertThat(r.get("subject").asText()).isEqualTo("42");
    assertThat(r.get("verified").asBoolean()).isTrue();

    CliProcess.Result wrongBinding =
        cli.run("inspect", token, "--certificate-env", "AGORA_CERT", "--channel", "other", "--uid", "42");
    assertThat(wrongBinding.exitCode()).isEqualTo(3);
    assertThat(wrongBinding.errLines()).singleElement().asString().contains("BINDING_MISMATCH");
  }

  @Test
  void zegoRoundTripWithRoomAndWithoutSecret() throws Exception {
    String token = mint("mint", "zego", "--app-id", "4294967295", "--secret-env", "ZEGO_SECRET", "--user-id", "u#1",
        "--expire", "900", "--room-id", "room 9", "--login", "1", "--publish", "1", "--stream-id", "s1", "--stream-id", "s2");
    JsonNode r = inspect("inspect", token, "--secret-env", "ZEGO_SECRET", "--app-id", "4294967295", "--json");
    assertThat(r.get("app_id").asText()).isEqualTo("4294967295");
    assertThat(r.get("subject").asText()).isEqualTo("u#1");
    assertThat(r.get("channel").asText()).isEqualTo("room 9");
    assertThat(r.get("privileges").findValuesAsText("name")).containsExactly("login", "publish");
    assertThat(r.get("details").get("stream_ids").toString()).isEqualTo("[\"s1\",\"s2\"]");
    assertThat(r.get("verified").asBoolean()).isTrue();
    assertRecent(r, 900);

    JsonNode clear = inspect("inspect", token, "--json");
    assertThat(clear.get("verified").isNull()).isTrue();
    assertThat(clear.get("expires_at").asLong()).isEqualTo(r.get("expires_at").asLong());
    assertThat(clear.get("subject").isNull()).isTrue();
  }

  @Test
  void easemobRoundTripAndTokenFromStdin() throws Exception {
    String token = mint("mint", "easemob", "--appkey", "org#app", "--client-id", "YMAVZF5klQ9f8SyyLlbFeg",
        "--client-secret-env", "EM_SECRET", "--user-id", "carol", "--ttl", "3600");
    CliProcess.Result r = cli.runWithStdin(token + "\n", "inspect", "-", "--client-id", "YMAVZF5klQ9f8SyyLlbFeg",
        "--client-secret-env", "EM_SECRET", "--appkey", "org#app", "--json");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    JsonNode j = JSON.readTree(r.out());
    assertThat(j.get("format").asText()).isEqualTo("easemob-dt");
    assertThat(j.get("subject").asText()).isEqualTo("carol");
    assertThat(j.get("verified").asBoolean()).isTrue();
    assertRecent(j, 3600);
  }

  @Test
  void invalidInputExitsTwoWithOneLineNamingTheField() {
    String[][] cases = {
        {"user_id", "mint", "zego", "--app-id", "1", "--secret-env", "ZEGO_SECRET", "--user-id", "x".repeat(33), "--expire", "60"},
        {"lifetime_seconds", "mint", "zego", "--app-id", "1", "--secret-env", "ZEGO_SECRET", "--user-id", "u", "--expire", "0"},
        {"app_id", "mint", "zego", "--app-id", "0", "--secret-env", "ZEGO_SECRET", "--user-id", "u", "--expire", "60"},
        {"login", "mint", "zego", "--app-id", "1", "--secret-env", "ZEGO_SECRET", "--user-id", "u", "--expire", "60", "--room-id", "r", "--login", "2", "--publish", "0"},
        {"secret-env", "mint", "zego", "--app-id", "1", "--secret-env", "NOT_SET_ANYWHERE", "--user-id", "u", "--expire", "60"},
        {"appkey", "mint", "easemob", "--appkey", "orgapp", "--client-id", "c", "--client-secret-env", "EM_SECRET", "--user-id", "u", "--ttl", "60"},
        {"lifetime_seconds", "mint", "easemob", "--appkey", "o#a", "--client-id", "c", "--client-secret-env", "EM_SECRET", "--user-id", "u", "--ttl", "-5"},
        {"--user-id", "mint", "easemob", "--appkey", "o#a", "--client-id", "c", "--client-secret-env", "EM_SECRET", "--ttl", "60"},
        {"--expire", "mint", "zego", "--app-id", "1", "--secret-env", "ZEGO_SECRET", "--user-id", "u", "--expire", "soon"},
        {"channel", "mint", "agora-rtc", "--app-id", AGORA_APP, "--certificate-env", "AGORA_CERT", "--channel", "c".repeat(65), "--uid", "1", "--role", "publisher", "--expire", "60"},
        {"role", "mint", "agora-rtc", "--app-id", AGORA_APP, "--certificate-env", "AGORA_CERT", "--channel", "c", "--uid", "1", "--role", "admin", "--expire", "60"},
        {"credential", "inspect", "04AAAA", "--certificate-env", "AGORA_CERT", "--secret-env", "ZEGO_SECRET"},
        {"app-id", "inspect", "04AAAA", "--secret-env", "ZEGO_SECRET"},
        {"appkey", "inspect", "ZHQt", "--client-id", "c", "--client-secret-env", "EM_SECRET"},
    };
    for (String[] c : cases) {
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      CliProcess.Result r = (c == cases[0] ? cli : inProcess).run(args);
      assertThat(r.exitCode()).as(String.join(" ", args) + " -> " + r.stderr()).isEqualTo(2);
      assertThat(r.stdout()).isEmpty();
      assertThat(r.errLines()).as(String.join(" ", args)).singleElement().asString().contains(c[0]);
    }
  }

  @Test
  void unreadableOrUnverifiedTokensExitThree() {
    String token = mint("mint", "zego", "--app-id", "7", "--secret-env", "ZEGO_SECRET", "--user-id", "u", "--expire", "600");
    String tampered = token.substring(0, 20) + (token.charAt(20) == 'A' ? 'B' : 'A') + token.substring(21);
    String[][] cases = {
        {"UNKNOWN_FORMAT", "inspect", "hello"},
        {"BAD_BASE64", "inspect", "04***"},
        {"SIGNATURE_MISMATCH", "inspect", token, "--secret-env", "OTHER_ZEGO_SECRET", "--app-id", "7"},
        {"TOKEN_EXPIRED", "inspect", token, "--secret-env", "ZEGO_SECRET", "--app-id", "7", "--at", "99999999999"},
        {"", "inspect", tampered, "--secret-env", "ZEGO_SECRET", "--app-id", "7"},
        {"BAD_BASE64", "inspect", "ZHQt!!", "--json"},
    };
    for (String[] c : cases) {
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      CliProcess.Result r = (c == cases[0] ? cli : inProcess).run(args);
      assertThat(r.exitCode()).as(String.join(" ", args) + " -> " + r.stderr()).isEqualTo(3);
      assertThat(r.errLines()).singleElement().asString().startsWith("error: ").contains(c[0]);
      assertThat(r.stderr()).doesNotContain(token);
    }
  }

  /**
   * Token04 has no MAC: XOR-ing the iv edits the first plaintext block, which holds the app id
   * ({@code {"app_id":7,...}}), and the token still decrypts. Verifying therefore needs --app-id.
   */
  @Test
  void zegoTokenWithAnEditedAppIdIsNotVerified() throws Exception {
    String token = mint("mint", "zego", "--app-id", "7", "--secret-env", "ZEGO_SECRET", "--user-id", "u",
        "--expire", "600", "--iv", "0123456789abcdef");
    byte[] raw = java.util.Base64.getDecoder().decode(token.substring(2));
    int ivStart = 8 + 2;
    int appIdDigit = "{\"app_id\":".length();
    raw[ivStart + appIdDigit] ^= (byte) ('7' ^ '8');
    String tampered = "04" + java.util.Base64.getEncoder().encodeToString(raw);

    // Without an expected app id the edit is invisible: the token decrypts to app 8.
    CliProcess.Result withAppId = cli.run("inspect", tampered, "--secret-env", "ZEGO_SECRET", "--app-id", "7", "--json");
    assertThat(withAppId.exitCode()).as(withAppId.stderr()).isEqualTo(3);
    assertThat(JSON.readTree(withAppId.out()).get("verified").asBoolean()).isFalse();
    assertThat(withAppId.errLines()).singleElement().asString().contains("APP_ID_MISMATCH");

    CliProcess.Result withoutAppId = cli.run("inspect", tampered, "--secret-env", "ZEGO_SECRET", "--json");
    assertThat(withoutAppId.exitCode()).isEqualTo(2);
    assertThat(withoutAppId.stdout()).isEmpty();
    assertThat(withoutAppId.errLines()).singleElement().asString().contains("app-id");

    assertThat(inspect("inspect", token, "--secret-env", "ZEGO_SECRET", "--app-id", "7", "--json")
        .get("verified").asBoolean()).isTrue();
  }
}
