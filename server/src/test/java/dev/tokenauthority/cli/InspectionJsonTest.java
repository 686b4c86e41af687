package dev.tokenauthority.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora006.LegacyAccessTokenVerifier;
import dev.tokenauthority.core.detect.AnyToken;
import dev.tokenauthority.core.diagnose.DiagnosisTokens;
import dev.tokenauthority.core.testing.Vectors;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code inspect --json} names every user a multi-service token carries; vendor vectors. */
class InspectionJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(Inspection report) throws Exception {
    return JSON.readTree(report.toJson());
  }

  private static JsonNode vector(String kind) {
    return Vectors.cases("agora").stream().filter(c -> c.get("kind").asText().equals(kind)).findFirst().orElseThrow();
  }

  /** The user id of the wire service of that type, or null (absent, or no user as in chat app tokens). */
  private static String wireUser(JsonNode vector, int type) {
    for (JsonNode s : vector.get("wire").get("services")) {
      if (s.get("type").asInt() == type && !s.get("user_id").asText().isEmpty()) {
        return s.get("user_id").asText();
      }
    }
    return null;
  }

  @Test
  void rtcRtmAndChatInOneTokenReportsEachServicesUser() throws Exception {
    JsonNode c = vector("rtc+rtm+chat-user");
    JsonNode r = json(Inspection.of(AnyToken.parse(c.get("token").asText())));
    // The fields that were there before keep their meaning: subject is the RTC uid.
    assertThat(r.get("format").asText()).isEqualTo("agora-007");
    assertThat(r.get("app_id").asText()).isEqualTo(c.get("app_id").asText());
    assertThat(r.get("issued_at").asLong()).isEqualTo(c.get("issue_ts").asLong());
    assertThat(r.get("expires_at").asLong()).isEqualTo(c.get("issue_ts").asLong() + c.get("token_expire").asLong());
    assertThat(r.get("subject").asText()).isEqualTo(c.get("params").get("uid").asText());
    assertThat(r.get("channel").asText()).isEqualTo(c.get("params").get("channel_name").asText());
    assertThat(r.get("privileges").findValuesAsText("service"))
        .containsExactly("rtc", "rtc", "rtc", "rtc", "rtm", "chat");
    // ... and the RTM user and chat UUID, which differ from the RTC uid here, are named too.
    assertThat(r.get("rtm_user_id").asText()).isEqualTo(c.get("params").get("rtm_user_id").asText())
        .isEqualTo("test_user");
    assertThat(r.get("chat_user_id").asText()).isEqualTo(c.get("params").get("chat_user_uuid").asText());
    assertThat(r.get("verified").isNull()).isTrue();
  }

  @Test
  void every007VectorNamesItsRtmAndChatUsersOrNull() throws Exception {
    int seen = 0;
    for (JsonNode c : Vectors.cases("agora")) {
      if (!c.get("format").asText().equals("agora-007")) {
        continue;
      }
      JsonNode r = json(Inspection.of(AnyToken.parse(c.get("token").asText())));
      String kind = c.get("kind").asText();
      assertThat(r.get("rtm_user_id").isNull() ? null : r.get("rtm_user_id").asText()).as(kind)
          .isEqualTo(wireUser(c, 2));
      assertThat(r.get("chat_user_id").isNull() ? null : r.get("chat_user_id").asText()).as(kind)
          .isEqualTo(wireUser(c, 5));
      seen++;
    }
    assertThat(seen).isGreaterThan(40);
  }

  @Test
  void a006RtmTokenNamesItsAccountOnceVerifiedWithTheBinding() throws Exception {
    JsonNode c = Vectors.cases("agora").stream().filter(v -> v.get("format").asText().equals("agora-006")
        && v.get("kind").asText().equals("rtm")).findFirst().orElseThrow();
    String account = c.get("params").get("user_account").asText();
    LegacyAccessToken t = LegacyAccessToken.parse(c.get("token").asText());
    Inspection report = Inspection.of(AnyToken.parse(c.get("token").asText()));
    assertThat(json(report).get("rtm_user_id").isNull()).as("CRCs only before the binding").isTrue();

    Clock at = Clock.fixed(Instant.ofEpochSecond(c.get("ts").asLong() - 86_400), ZoneOffset.UTC);
    report.claims(new LegacyAccessTokenVerifier(at).verify(t, account, "",
        List.of(Secret.of(c.get("app_certificate").asText()))).claims());
    JsonNode r = json(report);
    assertThat(r.get("rtm_user_id").asText()).isEqualTo(account);
    assertThat(r.get("chat_user_id").isNull()).isTrue();
  }

  @Test
  void a006RtcTokenHasNoSubjectBeforeItsBindingUnlessItsCrcIsUidZeros() throws Exception {
    JsonNode uid42 = json(Inspection.of(AnyToken.parse(DiagnosisTokens.legacyRtc("room1", "42"))));
    assertThat(uid42.get("subject").isNull()).as("only a CRC-32: unknown, not uid 0").isTrue();
    assertThat(Inspection.of(AnyToken.parse(DiagnosisTokens.legacyRtc("room1", "42"))).toText())
        .containsPattern("(?m)^subject +-$").doesNotContain("uid 0");
    JsonNode uid0 = json(Inspection.of(AnyToken.parse(DiagnosisTokens.legacyRtc("room1", ""))));
    assertThat(uid0.get("subject").asText()).as("the CRC-32 of \"\" is uid 0").isEmpty();
    assertThat(uid0.get("subject").isNull()).isFalse();
  }

  @Test
  void otherFormatsAndUndecryptedZegoHaveNeither() throws Exception {
    JsonNode zego = Vectors.cases("zego").get(0);
    JsonNode z = json(Inspection.of(AnyToken.parse(zego.get("token").asText())));
    assertThat(z.has("rtm_user_id")).isTrue();
    assertThat(z.get("rtm_user_id").isNull()).isTrue();
    assertThat(z.get("chat_user_id").isNull()).isTrue();

    JsonNode easemob = Vectors.cases("easemob").get(0);
    JsonNode e = json(Inspection.of(AnyToken.parse(easemob.get("token").asText())));
    assertThat(e.get("subject").asText()).isEqualTo(easemob.get("user_id").asText());
    assertThat(e.get("rtm_user_id").isNull()).isTrue();
    assertThat(e.get("chat_user_id").isNull()).isTrue();
  }
}
