package dev.tokenauthority.core.easemobdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of the vendor vectors (easemob.json). */
class DynamicTokenVectorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Arguments> cases() {
    return Vectors.cases("easemob").stream()
        .map(c -> Arguments.of(c.get("user_id").asText() + "@" + c.get("appkey").asText(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void builderReproducesTheTokenByteForByte(String name, JsonNode c) {
    DynamicToken built =
        DynamicToken.builder()
            .appKey(c.get("appkey").asText())
            .clientId(c.get("client_id").asText())
            .clientSecret(Secret.of(c.get("client_secret").asText()))
            .userId(c.get("user_id").asText())
            .ttlSeconds(c.get("ttl").asLong())
            .clock(at(c.get("cur_time").asLong()))
            .build();

    assertThat(built.signature()).isEqualTo(c.get("signature").asText());
    assertThat(built.token()).isEqualTo(c.get("token").asText());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parserRecoversEveryField(String name, JsonNode c) {
    DynamicToken t = DynamicTokenParser.parse(c.get("token").asText());

    assertThat(t.format()).isEqualTo(TokenFormat.EASEMOB_DT);
    assertThat(t.signature()).isEqualTo(c.get("signature").asText());
    assertThat(t.appKey()).isEqualTo(c.get("appkey").asText()).isEqualTo(t.appId());
    assertThat(t.orgName() + "#" + t.appName()).isEqualTo(c.get("appkey").asText());
    assertThat(t.userId()).isEqualTo(c.get("user_id").asText()).isEqualTo(t.subject());
    assertThat(t.curTime()).isEqualTo(c.get("cur_time").asLong());
    assertThat(t.ttlSeconds()).isEqualTo(c.get("ttl").asLong());
    assertThat(t.issuedAt()).isEqualTo(Instant.ofEpochSecond(c.get("cur_time").asLong()));
    assertThat(t.expiresAt())
        .isEqualTo(Instant.ofEpochSecond(c.get("cur_time").asLong() + c.get("ttl").asLong()));
    assertThat(t.privileges()).containsExactly(DynamicToken.USER);
    assertThat(t.channel()).isEmpty();
    // The vector's JSON is what the token decodes to after "dt-".
    String decoded = new String(Base64.getUrlDecoder().decode(c.get("token").asText()), StandardCharsets.UTF_8);
    assertThat(decoded).isEqualTo("dt-" + c.get("json").asText());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void verifierAcceptsWithAndWithoutPaddingAndNamesTheMatchedCredential(String name, JsonNode c) {
    String padded = c.get("token").asText();
    String unpadded = padded.replace("=", "");
    DynamicTokenVerifier verifier =
        DynamicTokenVerifier.builder()
            .credential(new ClientCredential("Yother", new Secret("primary", "not-the-secret")))
            .credential(new ClientCredential(c.get("client_id").asText(), new Secret("secondary", c.get("client_secret").asText())))
            .expectedAppKey(c.get("appkey").asText())
            .clock(at(c.get("cur_time").asLong()))
            .build();

    VerifiedToken<DynamicToken> a = verifier.verify(padded);
    VerifiedToken<DynamicToken> b = verifier.verify(unpadded);

    assertThat(a.matchedCredential()).isEqualTo("secondary");
    assertThat(b.matchedCredential()).isEqualTo("secondary");
    assertThat(b.claims().userId()).isEqualTo(c.get("user_id").asText());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void verifierChecksTheSignatureNotTheJsonSpelling(String name, JsonNode c) throws Exception {
    // Same values, other key order and spacing: still valid.
    ObjectNode respelled = JSON.createObjectNode();
    respelled.put("ttl", c.get("ttl").asLong());
    respelled.put("userId", c.get("user_id").asText());
    respelled.put("curTime", c.get("cur_time").asLong());
    respelled.put("appkey", c.get("appkey").asText());
    respelled.put("signature", c.get("signature").asText());
    String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(respelled);
    String token = Base64.getUrlEncoder().encodeToString(("dt-" + pretty).getBytes(StandardCharsets.UTF_8));
    DynamicTokenVerifier verifier = rightVerifier(c, c.get("cur_time").asLong());

    assertThat(verifier.verify(token).claims().userId()).isEqualTo(c.get("user_id").asText());

    // Same spelling, one value changed: the signature no longer matches.
    respelled.put("ttl", c.get("ttl").asLong() + 1);
    String widened = Base64.getUrlEncoder().encodeToString(("dt-" + JSON.writeValueAsString(respelled)).getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> verifier.verify(widened))
        .isInstanceOfSatisfying(TokenVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(TokenVerificationException.SIGNATURE_MISMATCH));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void wrongCredentialIsRejected(String name, JsonNode c) {
    DynamicTokenVerifier wrongSecret =
        DynamicTokenVerifier.builder()
            .credential(new ClientCredential(c.get("client_id").asText(), Secret.of(c.get("client_secret").asText() + "x")))
            .expectedAppKey(c.get("appkey").asText())
            .clock(at(c.get("cur_time").asLong()))
            .build();
    DynamicTokenVerifier wrongId =
        DynamicTokenVerifier.builder()
            .credential(new ClientCredential(c.get("client_id").asText() + "x", Secret.of(c.get("client_secret").asText())))
            .expectedAppKey(c.get("appkey").asText())
            .clock(at(c.get("cur_time").asLong()))
            .build();

    for (DynamicTokenVerifier v : new DynamicTokenVerifier[] {wrongSecret, wrongId}) {
      assertThatThrownBy(() -> v.verify(c.get("token").asText()))
          .isInstanceOfSatisfying(TokenVerificationException.class,
              e -> assertThat(e.reason()).isEqualTo(TokenVerificationException.SIGNATURE_MISMATCH));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void expiryIsNowBeforeCurTimePlusTtlWithOptionalGrace(String name, JsonNode c) {
    String token = c.get("token").asText();
    long end = c.get("cur_time").asLong() + c.get("ttl").asLong();

    assertThat(rightVerifier(c, end - 1).verify(token).claims().ttlSeconds()).isEqualTo(c.get("ttl").asLong());
    DynamicTokenVerifier atEnd = rightVerifier(c, end);
    assertThatThrownBy(() -> atEnd.verify(token))
        .isInstanceOfSatisfying(TokenVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(TokenVerificationException.TOKEN_EXPIRED));
    assertThat(atEnd.verify(token, Duration.ofSeconds(1)).matchedCredential()).isEqualTo("primary");
    assertThat(atEnd.checkSignature(token).matchedCredential()).isEqualTo("primary");
  }

  private static DynamicTokenVerifier rightVerifier(JsonNode c, long now) {
    return DynamicTokenVerifier.builder()
        .credential(new ClientCredential(c.get("client_id").asText(), Secret.of(c.get("client_secret").asText())))
        .expectedAppKey(c.get("appkey").asText())
        .clock(at(now))
        .build();
  }

  static Clock at(long epochSeconds) {
    return Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
  }
}
