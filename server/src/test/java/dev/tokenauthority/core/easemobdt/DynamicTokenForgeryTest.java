package dev.tokenauthority.core.easemobdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vendor signs client_id + appkey + user_id + cur_time + ttl + secret without separators, so a
 * vector's signature also covers every other cut of that string. These tests re-encode vector
 * tokens with digits moved across field boundaries and the vector's own signature, and check that
 * the verifier refuses each such reading while the vector itself still verifies.
 */
class DynamicTokenForgeryTest {
  private static final Set<String> REFUSALS = Set.of(
      TokenVerificationException.NOT_YET_VALID, TokenVerificationException.TOKEN_EXPIRED,
      DynamicTokenVerifier.TTL_TOO_LONG, DynamicTokenVerifier.APP_KEY_MISMATCH);

  record Reading(String appKey, String userId, long curTime, long ttl) {}

  static Stream<Arguments> cases() {
    return Vectors.cases("easemob").stream()
        .map(c -> Arguments.of(c.get("user_id").asText() + "@" + c.get("appkey").asText(), c));
  }

  private static JsonNode vector(String userId) {
    return Vectors.cases("easemob").stream()
        .filter(c -> c.get("user_id").asText().equals(userId)).findFirst().orElseThrow();
  }

  @Test
  void userDigitMovedIntoCurTimeIsNotYetValid() {
    JsonNode c = vector("ovpbjhkogdadlsdn9jkqy4");
    Reading forged = new Reading("lcu#4n2lhr7jx", "ovpbjhkogdadlsdn9jkqy", 41717882502L, 60);

    refused(c, forged, c.get("cur_time").asLong(), TokenVerificationException.NOT_YET_VALID);
  }

  @Test
  void ttlDigitMovedIntoCurTimeIsNotYetValid() {
    JsonNode c = vector("-sbs09_il_rk28jqw-o5qxtpuz.");
    // Would expire in the year 2545.
    Reading forged = new Reading("bms7df#n16hhy1", "-sbs09_il_rk28jqw-o5qxtpuz.", 18162175543L, 600);

    refused(c, forged, c.get("cur_time").asLong(), TokenVerificationException.NOT_YET_VALID);
  }

  @Test
  void curTimeDigitsMovedIntoTtlAreRefused() {
    JsonNode c = vector("ovpbjhkogdadlsdn9jkqy4");
    long at = c.get("cur_time").asLong();
    // Issued in 1970 with a ttl of 56 years: still valid until 2026-09 by "now < curTime + ttl" alone.
    refused(c, new Reading("lcu#4n2lhr7jx", "ovpbjhkogdadlsdn9jkqy4", 17, 1788250260L), at,
        DynamicTokenVerifier.TTL_TOO_LONG);
    refused(c, new Reading("lcu#4n2lhr7jx", "ovpbjhkogdadlsdn9jkqy4", 171788250, 260), at,
        TokenVerificationException.TOKEN_EXPIRED);
  }

  @Test
  void appNameTailMovedIntoUserIdIsAnotherAppKey() {
    JsonNode c = vector("ovpbjhkogdadlsdn9jkqy4");
    Reading forged = new Reading("lcu#4n2lhr7j", "xovpbjhkogdadlsdn9jkqy4", 1717882502L, 60);

    refused(c, forged, c.get("cur_time").asLong(), DynamicTokenVerifier.APP_KEY_MISMATCH);
  }

  @Test
  void theVerifierNeedsTheAppKey() {
    assertThatThrownBy(() -> DynamicTokenVerifier.builder().build()).isInstanceOf(IllegalStateException.class);
  }

  /** Every cut of the vector's user-id tail, curTime and ttl digits, checked across the vector's life. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyOtherCutOfTheDigitsIsRefusedWhileTheVectorVerifies(String name, JsonNode c) {
    long curTime = c.get("cur_time").asLong();
    long ttl = c.get("ttl").asLong();
    DynamicTokenVerifier atIssue = verifier(c, curTime);
    DynamicTokenVerifier atEnd = verifier(c, curTime + ttl - 1);
    assertThat(atIssue.verify(c.get("token").asText()).claims().userId()).isEqualTo(c.get("user_id").asText());
    assertThat(atEnd.verify(c.get("token").asText()).claims().userId()).isEqualTo(c.get("user_id").asText());

    List<Reading> readings = otherReadings(c);
    assertThat(readings).isNotEmpty();
    for (Reading r : readings) {
      String token = encode(c, r);
      for (DynamicTokenVerifier v : List.of(atIssue, atEnd)) {
        assertThatThrownBy(() -> v.verify(token)).as(r.toString())
            .satisfies(e -> assertThat(e instanceof MalformedTokenException
                || (e instanceof TokenVerificationException t && REFUSALS.contains(t.reason()))).as(e.toString()).isTrue());
      }
    }
  }

  /** Readings other than the vector's that the vector's signature also covers. */
  private static List<Reading> otherReadings(JsonNode c) {
    String appKey = c.get("appkey").asText();
    String user = c.get("user_id").asText();
    int digitsFrom = user.length();
    while (digitsFrom > 0 && Character.isDigit(user.charAt(digitsFrom - 1))) {
      digitsFrom--;
    }
    String head = user.substring(0, digitsFrom);
    String digits = user.substring(digitsFrom) + c.get("cur_time").asText() + c.get("ttl").asText();
    List<Reading> out = new ArrayList<>();
    for (int i = 0; i < digits.length(); i++) {
      for (int j = i + 1; j < digits.length(); j++) {
        String u = head + digits.substring(0, i);
        String cur = digits.substring(i, j);
        String t = digits.substring(j);
        if (u.isEmpty() || cur.length() > 18 || t.length() > 18) {
          continue;
        }
        Reading r = new Reading(appKey, u, Long.parseLong(cur), Long.parseLong(t));
        // Leading zeros would make another signed string; so would the vector's own cut.
        if ((u + r.curTime() + r.ttl()).equals(user + c.get("cur_time").asText() + c.get("ttl").asText())
            && !(u.equals(user) && cur.equals(c.get("cur_time").asText()))) {
          out.add(r);
        }
      }
    }
    int hash = appKey.indexOf('#');
    for (int k = appKey.length() - 1; k > hash + 1; k--) {
      out.add(new Reading(appKey.substring(0, k), appKey.substring(k) + user,
          c.get("cur_time").asLong(), c.get("ttl").asLong()));
    }
    // The same signature really covers each reading: it is a forgery, not a random edit.
    for (Reading r : out) {
      assertThat(DtSignature.compute(credential(c), r.appKey(), r.userId(), r.curTime(), r.ttl()))
          .isEqualTo(c.get("signature").asText());
    }
    return out;
  }

  private static void refused(JsonNode c, Reading forged, long at, String reason) {
    assertThat(DtSignature.compute(credential(c), forged.appKey(), forged.userId(), forged.curTime(), forged.ttl()))
        .as("the forgery carries a valid signature").isEqualTo(c.get("signature").asText());
    String token = encode(c, forged);
    assertThatThrownBy(() -> verifier(c, at).verify(token))
        .isInstanceOfSatisfying(TokenVerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static String encode(JsonNode c, Reading r) {
    String json = DynamicTokenBuilder.json(c.get("signature").asText(), r.appKey(), r.userId(), r.curTime(), r.ttl());
    return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static ClientCredential credential(JsonNode c) {
    return new ClientCredential(c.get("client_id").asText(), Secret.of(c.get("client_secret").asText()));
  }

  private static DynamicTokenVerifier verifier(JsonNode c, long now) {
    return DynamicTokenVerifier.builder().credential(credential(c)).expectedAppKey(c.get("appkey").asText())
        .clock(DynamicTokenVectorTest.at(now)).build();
  }
}
