package dev.tokenauthority.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenauthority.core.testing.Vectors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Vendor vectors reproduced through the CLI (fixed issue time, salt, iv, nonce): every vector runs
 * the real command tree in this JVM ({@link CliInProcess}); the first vector of each file, and the
 * 006 "vendor default" ones, also through the jar as a process ({@link CliProcess}), so argument
 * parsing, the environment and exit codes are proven end to end without a JVM per command.
 */
class CliVendorVectorsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void zegoVectorsAreMintedAndInspectedThroughTheCli() throws Exception {
    List<JsonNode> cases = Vectors.cases("zego");
    for (JsonNode c : cases) {
      Cli cli = Cli.of(c == cases.get(0), "ZEGO_SECRET", c.get("server_secret").asText());
      JsonNode plaintext = JSON.readTree(c.get("plaintext").asText());
      List<String> args = new ArrayList<>(List.of("mint", "zego",
          "--app-id", c.get("app_id").asText(), "--secret-env", "ZEGO_SECRET",
          "--user-id", c.get("user_id").asText(), "--expire", c.get("effective_time_in_seconds").asText(),
          "--issued-at", c.get("ctime").asText(), "--nonce", plaintext.get("nonce").asText(),
          "--iv", c.get("iv").asText()));
      String payload = c.get("payload").asText();
      if (!payload.isEmpty()) {
        JsonNode p = JSON.readTree(payload);
        args.addAll(List.of("--room-id", p.get("room_id").asText(),
            "--login", p.get("privilege").get("1").asText(), "--publish", p.get("privilege").get("2").asText()));
      }
      CliProcess.Result minted = cli.run(args.toArray(String[]::new));
      assertThat(minted.exitCode()).as(minted.stderr()).isZero();
      assertThat(minted.out()).isEqualTo(c.get("token").asText());

      CliProcess.Result inspected = cli.run("inspect", c.get("token").asText(), "--secret-env", "ZEGO_SECRET",
          "--app-id", c.get("app_id").asText(),
          "--at", c.get("ctime").asText(), "--json");
      assertThat(inspected.exitCode()).as(inspected.stderr()).isZero();
      JsonNode r = JSON.readTree(inspected.out());
      assertThat(r.get("format").asText()).isEqualTo("zego-04");
      assertThat(r.get("app_id").asText()).isEqualTo(c.get("app_id").asText());
      assertThat(r.get("subject").asText()).isEqualTo(c.get("user_id").asText());
      assertThat(r.get("issued_at").asLong()).isEqualTo(c.get("ctime").asLong());
      assertThat(r.get("expires_at").asLong()).isEqualTo(c.get("expire").asLong());
      assertThat(r.get("details").get("nonce").asInt()).isEqualTo(plaintext.get("nonce").asInt());
      assertThat(r.get("verified").asBoolean()).isTrue();
      assertThat(r.get("matched_credential").asText()).isEqualTo("primary");
    }
  }

  @Test
  void easemobVectorsAreMintedAndInspectedThroughTheCli() throws Exception {
    boolean padded = true;
    List<JsonNode> cases = Vectors.cases("easemob");
    for (JsonNode c : cases) {
      Cli cli = Cli.of(c == cases.get(0), "EM_SECRET", c.get("client_secret").asText());
      CliProcess.Result minted = cli.run("mint", "easemob", "--appkey", c.get("appkey").asText(),
          "--client-id", c.get("client_id").asText(), "--client-secret-env", "EM_SECRET",
          "--user-id", c.get("user_id").asText(), "--ttl", c.get("ttl").asText(),
          "--issued-at", c.get("cur_time").asText());
      assertThat(minted.exitCode()).as(minted.stderr()).isZero();
      assertThat(minted.out()).isEqualTo(c.get("token").asText());

      String token = padded ? c.get("token").asText() : c.get("token").asText().replace("=", "");
      padded = !padded;
      CliProcess.Result inspected = cli.run("inspect", token, "--client-id", c.get("client_id").asText(), "--appkey", c.get("appkey").asText(),
          "--client-secret-env", "EM_SECRET", "--at", c.get("cur_time").asText(), "--json");
      assertThat(inspected.exitCode()).as(inspected.stderr()).isZero();
      JsonNode r = JSON.readTree(inspected.out());
      assertThat(r.get("format").asText()).isEqualTo("easemob-dt");
      assertThat(r.get("app_id").asText()).isEqualTo(c.get("appkey").asText());
      assertThat(r.get("subject").asText()).isEqualTo(c.get("user_id").asText());
      assertThat(r.get("issued_at").asLong()).isEqualTo(c.get("cur_time").asLong());
      assertThat(r.get("expires_at").asLong()).isEqualTo(c.get("cur_time").asLong() + c.get("ttl").asLong());
      assertThat(r.get("verified").asBoolean()).isTrue();
    }
  }

  @Test
  void agoraVectorsAreMintedThroughTheCliAndInspected() throws Exception {
    List<JsonNode> cases = Vectors.cases("agora");
    for (JsonNode c : cases) {
      String id = c.get("format").asText() + " " + c.get("kind").asText() + " @" + (c.has("issue_ts")
          ? c.get("issue_ts").asText() : c.get("ts").asText());
      Cli cli = Cli.of(asProcess(c, cases), "AGORA_CERT", c.get("app_certificate").asText());
      CliProcess.Result result = cli.run(mintArgs(c).toArray(String[]::new));
      assertThat(result.exitCode()).as(id + ": " + result.stderr()).isZero();
      assertThat(result.out()).as(id).isEqualTo(c.get("token").asText());

      List<String> inspect = new ArrayList<>(List.of("inspect", c.get("token").asText(),
          "--certificate-env", "AGORA_CERT", "--json", "--at", Long.toString(issuedAt(c))));
      if (c.get("format").asText().equals("agora-006")) {
        JsonNode p = c.get("params");
        inspect.addAll(List.of("--channel", isRtm(c) ? p.get("user_account").asText() : p.get("channel_name").asText(),
            "--uid", isRtm(c) ? "" : uidText(p.get("uid").asLong())));
      }
      CliProcess.Result inspected = cli.run(inspect.toArray(String[]::new));
      assertThat(inspected.exitCode()).as(id + ": " + inspected.stderr()).isZero();
      assertInspectionMatchesWire(id, c, JSON.readTree(inspected.out()));
    }
    assertThat(cases).hasSize(61);
  }

  /** The first vector of each Agora format, and the 006 ones packed with the vendor default 0. */
  private static boolean asProcess(JsonNode c, List<JsonNode> cases) {
    String format = c.get("format").asText();
    boolean firstOfFormat = cases.stream().filter(x -> x.get("format").asText().equals(format)).findFirst().orElseThrow() == c;
    boolean vendorDefault006 = format.equals("agora-006") && c.get("params").path("privilege_expired_ts").asLong(-1) == 0;
    return firstOfFormat || vendorDefault006;
  }

  /** Every field of {@code inspect --json} against what the vector says the token carries. */
  private static void assertInspectionMatchesWire(String id, JsonNode c, JsonNode r) {
    JsonNode w = c.get("wire");
    assertThat(r.get("format").asText()).as(id).isEqualTo(c.get("format").asText());
    assertThat(r.get("app_id").asText()).as(id).isEqualTo(w.get("app_id").asText());
    assertThat(r.get("verified").asBoolean()).as(id).isTrue();
    assertThat(r.get("matched_credential").asText()).as(id).isEqualTo("primary");
    assertThat(r.get("details").get("salt").asLong()).as(id).isEqualTo(w.get("salt").asLong());
    List<String> privileges = new ArrayList<>();
    r.get("privileges").forEach(p -> privileges.add(p.get("service").asText() + "/" + p.get("code").asInt() + "@"
        + (p.get("expires_at").isNull() ? "none" : p.get("expires_at").asText())));
    if (c.get("format").asText().equals("agora-006")) {
      JsonNode p = c.get("params");
      assertThat(r.get("issued_at").asLong()).as(id).isEqualTo(w.get("ts").asLong() - 86_400);
      assertThat(r.get("expires_at").asLong()).as(id).isEqualTo(w.get("ts").asLong());
      assertThat(r.get("details").get("ts").asLong()).as(id).isEqualTo(w.get("ts").asLong());
      assertThat(text(r, "subject")).as(id).isEqualTo(isRtm(c) ? p.get("user_account").asText()
          : uidText(p.get("uid").asLong()));
      assertThat(text(r, "channel")).as(id).isEqualTo(isRtm(c) ? null : p.get("channel_name").asText());
      assertThat(text(r, "rtm_user_id")).as(id).isEqualTo(isRtm(c) ? p.get("user_account").asText() : null);
      assertThat(text(r, "chat_user_id")).as(id).isNull();
      List<String> expected = new ArrayList<>();
      w.get("privileges").fields().forEachRemaining(e -> expected.add((isRtm(c) ? "rtm" : "rtc") + "/" + e.getKey()
          + "@" + (e.getValue().asLong() == 0 ? "none" : e.getValue().asText())));
      assertThat(privileges).as(id).isEqualTo(expected);
      return;
    }
    long issued = w.get("issue_ts").asLong();
    assertThat(r.get("issued_at").asLong()).as(id).isEqualTo(issued);
    assertThat(r.get("expires_at").asLong()).as(id).isEqualTo(issued + w.get("expire").asLong());
    Map<Integer, JsonNode> services = new HashMap<>();
    List<String> expected = new ArrayList<>();
    for (JsonNode s : w.get("services")) {
      int type = s.get("type").asInt();
      services.put(type, s);
      String name = switch (type) {
        case 1 -> "rtc";
        case 2 -> "rtm";
        case 5 -> "chat";
        default -> throw new AssertionError(id + ": service type " + type);
      };
      s.get("privileges").fields().forEachRemaining(e -> expected.add(name + "/" + e.getKey() + "@"
          + (e.getValue().asLong() == 0 ? "none" : Long.toString(issued + e.getValue().asLong()))));
    }
    assertThat(privileges).as(id).isEqualTo(expected);
    JsonNode rtc = services.get(1);
    JsonNode rtm = services.get(2);
    JsonNode chat = services.get(5);
    String subject = rtc != null ? rtc.get("uid").asText() : rtm != null ? rtm.get("user_id").asText()
        : chat.get("user_id").asText();
    assertThat(text(r, "subject")).as(id).isEqualTo(subject);
    assertThat(text(r, "channel")).as(id).isEqualTo(rtc == null ? null : rtc.get("channel_name").asText());
    assertThat(text(r, "rtm_user_id")).as(id).isEqualTo(rtm == null ? null : rtm.get("user_id").asText());
    assertThat(text(r, "chat_user_id")).as(id)
        .isEqualTo(chat == null || chat.get("user_id").asText().isEmpty() ? null : chat.get("user_id").asText());
  }

  private static String text(JsonNode r, String field) {
    assertThat(r.has(field)).as("inspect --json has %s", field).isTrue();
    return r.get(field).isNull() ? null : r.get(field).asText();
  }

  private static boolean isRtm(JsonNode c) {
    return c.get("kind").asText().equals("rtm");
  }

  private static long issuedAt(JsonNode c) {
    return c.has("issue_ts") ? c.get("issue_ts").asLong() : c.get("ts").asLong() - 86_400;
  }

  private static String uidText(long uid) {
    return uid == 0 ? "" : Long.toString(uid);
  }

  /** The CLI arguments that express a vector: every public vector has some. */
  private static List<String> mintArgs(JsonNode c) {
    JsonNode p = c.get("params");
    String kind = c.get("kind").asText();
    boolean legacy = c.get("format").asText().equals("agora-006");
    long issued = issuedAt(c);
    List<String> a = new ArrayList<>();
    if (legacy) {
      long pets = p.get("privilege_expired_ts").asLong();
      // 0: the vendor default, --expire 0. A privilege time within 24 h of issue: a lifetime. Any
      // other (the vendor caps it at 24 h): the builder's own absolute value.
      long lifetime = pets == 0 ? 0 : pets - issued;
      boolean asLifetime = lifetime >= 0 && lifetime <= 86_400;
      String expire = asLifetime ? Long.toString(lifetime) : "86400";
      if (kind.equals("rtm")) {
        a.addAll(List.of("mint", "agora-rtm", "--user-id", p.get("user_account").asText(), "--expire", expire));
      } else {
        a.addAll(List.of("mint", "agora-rtc", "--channel", p.get("channel_name").asText(),
            "--uid", p.get("uid").asText(), "--expire", expire));
        // join_channel_only is the subscriber's privilege set.
        a.addAll(List.of("--role", p.has("role") ? p.get("role").asText() : "subscriber"));
      }
      if (!asLifetime) {
        a.addAll(List.of("--privilege-expired-ts", Long.toString(pets)));
      }
      a.addAll(List.of("--format", "006"));
    } else {
      String expire = c.get("token_expire").asText();
      switch (kind) {
        case "rtm" -> a.addAll(List.of("mint", "agora-rtm", "--user-id", p.get("user_id").asText(), "--expire", expire));
        case "chat-user" -> a.addAll(List.of("mint", "agora-chat", "--user-uuid", p.get("user_uuid").asText(), "--expire", expire));
        case "chat-app" -> a.addAll(List.of("mint", "agora-chat", "--app", "--expire", expire));
        case "rtc", "rtc+rtm", "rtc+rtm+chat-user" -> {
          a.addAll(List.of("mint", "agora-rtc", "--channel", p.get("channel_name").asText(), "--expire", expire));
          if (p.has("user_account")) {
            a.addAll(List.of("--account", p.get("user_account").asText()));
          } else {
            a.addAll(List.of("--uid", p.get("uid").asText()));
          }
          if (p.has("role")) {
            a.addAll(List.of("--role", p.get("role").asText(), "--privilege-expire", p.get("privilege_expire").asText()));
          } else if (p.has("join_channel_privilege_expire")) {
            a.addAll(List.of("--join-expire", p.get("join_channel_privilege_expire").asText(),
                "--audio-expire", p.get("pub_audio_privilege_expire").asText(),
                "--video-expire", p.get("pub_video_privilege_expire").asText(),
                "--data-expire", p.get("pub_data_stream_privilege_expire").asText()));
          } else {
            // "join-channel privilege only", living as long as the token.
            a.addAll(List.of("--join-expire", expire));
          }
          if (kind.startsWith("rtc+rtm")) {
            a.add("--with-rtm");
          }
          if (p.has("rtm_user_id")) {
            a.addAll(List.of("--rtm-user-id", p.get("rtm_user_id").asText()));
          }
          if (p.has("chat_user_uuid")) {
            a.addAll(List.of("--chat-user-uuid", p.get("chat_user_uuid").asText()));
          }
        }
        default -> throw new AssertionError("a vector kind the test does not know: " + kind);
      }
    }
    a.addAll(List.of("--app-id", c.get("app_id").asText(), "--certificate-env", "AGORA_CERT",
        "--issued-at", Long.toString(issued), "--salt", c.get("salt").asText()));
    return a;
  }
}
