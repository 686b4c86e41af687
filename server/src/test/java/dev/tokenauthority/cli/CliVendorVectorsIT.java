package dev.tokenauthority.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenauthority.core.testing.Vectors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Vendor vectors reproduced through the real CLI process (fixed issue time, salt, iv, nonce). */
class CliVendorVectorsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void zegoVectorsAreMintedAndInspectedThroughTheCli() throws Exception {
    for (JsonNode c : Vectors.cases("zego")) {
      CliProcess cli = new CliProcess().env("ZEGO_SECRET", c.get("server_secret").asText());
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
    for (JsonNode c : Vectors.cases("easemob")) {
      CliProcess cli = new CliProcess().env("EM_SECRET", c.get("client_secret").asText());
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
    Map<String, Integer> perShape = new HashMap<>();
    int reproduced = 0;
    for (JsonNode c : Vectors.cases("agora")) {
      Optional<List<String>> args = mintArgs(c);
      String shape = c.get("format").asText() + c.get("kind").asText() + c.get("params").size();
      // Two cases of each shape are enough through a process; the core tests take all of them.
      if (args.isEmpty() || perShape.merge(shape, 1, Integer::sum) > 2) {
        continue;
      }
      CliProcess cli = new CliProcess().env("AGORA_CERT", c.get("app_certificate").asText());
      CliProcess.Result minted = cli.run(args.get().toArray(String[]::new));
      assertThat(minted.exitCode()).as(shape + ": " + minted.stderr()).isZero();
      assertThat(minted.out()).as(shape).isEqualTo(c.get("token").asText());
      reproduced++;

      List<String> inspect = new ArrayList<>(List.of("inspect", c.get("token").asText(),
          "--certificate-env", "AGORA_CERT", "--json", "--at", Long.toString(issuedAt(c))));
      if (c.get("format").asText().equals("agora-006")) {
        JsonNode p = c.get("params");
        boolean rtm = c.get("kind").asText().equals("rtm");
        inspect.addAll(List.of("--channel", rtm ? p.get("user_account").asText() : p.get("channel_name").asText(),
            "--uid", rtm ? "" : uidText(p.get("uid").asLong())));
      }
      CliProcess.Result inspected = cli.run(inspect.toArray(String[]::new));
      assertThat(inspected.exitCode()).as(shape + ": " + inspected.stderr()).isZero();
      JsonNode r = JSON.readTree(inspected.out());
      assertThat(r.get("format").asText()).isEqualTo(c.get("format").asText());
      assertThat(r.get("app_id").asText()).isEqualTo(c.get("app_id").asText());
      assertThat(r.get("verified").asBoolean()).isTrue();
    }
    assertThat(reproduced).isGreaterThanOrEqualTo(14);
  }

  private static long issuedAt(JsonNode c) {
    return c.has("issue_ts") ? c.get("issue_ts").asLong() : c.get("ts").asLong() - 86_400;
  }

  private static String uidText(long uid) {
    return uid == 0 ? "" : Long.toString(uid);
  }

  /** The CLI arguments that express a vector, or empty when the CLI has no way to (e.g. 3 services). */
  private static Optional<List<String>> mintArgs(JsonNode c) {
    JsonNode p = c.get("params");
    String kind = c.get("kind").asText();
    boolean legacy = c.get("format").asText().equals("agora-006");
    long issued = issuedAt(c);
    List<String> a = new ArrayList<>();
    if (legacy) {
      long pets = p.get("privilege_expired_ts").asLong();
      long lifetime = pets == 0 ? 0 : pets - issued;
      if (lifetime < 0 || lifetime > 86_400 || !p.has("role")) {
        return Optional.empty();
      }
      if (kind.equals("rtm")) {
        if (lifetime == 0) {
          return Optional.empty();
        }
        a.addAll(List.of("mint", "agora-rtm", "--user-id", p.get("user_account").asText(), "--expire", "" + lifetime));
      } else {
        a.addAll(List.of("mint", "agora-rtc", "--channel", p.get("channel_name").asText(),
            "--uid", p.get("uid").asText(), "--role", p.get("role").asText(),
            "--expire", "86400", "--privilege-expire", "" + lifetime));
      }
      a.addAll(List.of("--format", "006"));
    } else {
      String expire = c.get("token_expire").asText();
      switch (kind) {
        case "rtm" -> a.addAll(List.of("mint", "agora-rtm", "--user-id", p.get("user_id").asText(), "--expire", expire));
        case "chat-user" -> a.addAll(List.of("mint", "agora-chat", "--user-uuid", p.get("user_uuid").asText(), "--expire", expire));
        case "chat-app" -> a.addAll(List.of("mint", "agora-chat", "--app", "--expire", expire));
        case "rtc", "rtc+rtm" -> {
          if (!p.has("token_expire")) {
            return Optional.empty();
          }
          a.addAll(List.of("mint", "agora-rtc", "--channel", p.get("channel_name").asText(), "--expire", expire));
          if (p.has("user_account")) {
            a.addAll(List.of("--account", p.get("user_account").asText()));
          } else {
            a.addAll(List.of("--uid", p.get("uid").asText()));
          }
          if (p.has("role")) {
            a.addAll(List.of("--role", p.get("role").asText(), "--privilege-expire", p.get("privilege_expire").asText()));
          } else {
            a.addAll(List.of("--join-expire", p.get("join_channel_privilege_expire").asText(),
                "--audio-expire", p.get("pub_audio_privilege_expire").asText(),
                "--video-expire", p.get("pub_video_privilege_expire").asText(),
                "--data-expire", p.get("pub_data_stream_privilege_expire").asText()));
          }
          if (kind.equals("rtc+rtm")) {
            a.add("--with-rtm");
          }
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    a.addAll(List.of("--app-id", c.get("app_id").asText(), "--certificate-env", "AGORA_CERT",
        "--issued-at", Long.toString(issued), "--salt", c.get("salt").asText()));
    return Optional.of(a);
  }
}
