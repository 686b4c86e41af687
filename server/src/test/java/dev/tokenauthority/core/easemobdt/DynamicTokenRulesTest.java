package dev.tokenauthority.core.easemobdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenVerificationException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** One test per rule of the dynamic-token builder, parser and verifier. */
class DynamicTokenRulesTest {
  static final String SECRET = "YXA6S8ogAHXFfh8gY4zZoFQPLROg7DC";
  static final long NOW = 1_700_000_000L;
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  static final ClientCredential CREDENTIAL = new ClientCredential("YMAVZF5klQ9f8SyyLlbFeg", Secret.of(SECRET));
  static final ObjectMapper JSON = new ObjectMapper();

  static DynamicTokenBuilder valid() {
    return DynamicToken.builder()
        .appKey("org1#app-1")
        .credential(CREDENTIAL)
        .userId("alice_1.x-y")
        .ttlSeconds(600)
        .clock(CLOCK);
  }

  static void rejects(UnaryOperator<DynamicTokenBuilder> change, String field, String reason) {
    assertThatThrownBy(() -> change.apply(valid()).build())
        .isInstanceOfSatisfying(InvalidTokenInputException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(e.getMessage()).doesNotContain(SECRET);
        });
  }

  static void malformed(String token, String reason) {
    assertThatThrownBy(() -> DynamicTokenParser.parse(token))
        .isInstanceOfSatisfying(MalformedTokenException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  static void unverified(ThrowingCallable call, String reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(TokenVerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  static ObjectNode body() {
    DynamicToken t = valid().build();
    ObjectNode o = JSON.createObjectNode();
    o.put("signature", t.signature()).put("appkey", t.appKey()).put("userId", t.userId())
        .put("curTime", t.curTime()).put("ttl", t.ttlSeconds());
    return o;
  }

  static String encode(String afterPrefix) {
    return Base64.getUrlEncoder().encodeToString(("dt-" + afterPrefix).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void validInputsBuildAndTheClockGivesCurTime() {
    DynamicToken t = valid().build();
    assertThat(t.curTime()).isEqualTo(NOW);
    assertThat(t.expiresAt()).isEqualTo(Instant.ofEpochSecond(NOW + 600));
    assertThat(t.toString()).doesNotContain(t.token()).doesNotContain(SECRET);
    assertThat(valid().issuedAt(5).build().curTime()).isEqualTo(5);
  }

  @Test
  void appKeyIsOrgHashAppWithBothPartsNonEmpty() {
    for (String bad : new String[] {null, "", "org", "#app", "org#", "a#b#c", "or g#app", "org#ap/p", "é#a"}) {
      rejects(b -> b.appKey(bad), "appkey", "APP_KEY_FORMAT");
    }
    assertThat(valid().appKey("1102190223222824#demo.app_1-x").build().appName()).isEqualTo("demo.app_1-x");
  }

  @Test
  void clientIdIsNonEmptyVisibleAscii() {
    rejects(b -> b.clientId(""), "client_id", "CLIENT_ID_EMPTY");
    rejects(b -> b.clientId(null), "client_id", "CLIENT_ID_EMPTY");
    rejects(b -> b.clientId("a b"), "client_id", "CLIENT_ID_FORMAT");
    rejects(b -> b.clientId("é"), "client_id", "CLIENT_ID_FORMAT");
  }

  @Test
  void clientSecretIsNonEmpty() {
    rejects(b -> b.clientSecret(Secret.of("")), "client_secret", "CLIENT_SECRET_EMPTY");
    rejects(b -> b.clientSecret(null), "client_secret", "CLIENT_SECRET_EMPTY");
  }

  @Test
  void userIdIsNonEmpty() {
    rejects(b -> b.userId(""), "user_id", "USER_ID_EMPTY");
    rejects(b -> b.userId(null), "user_id", "USER_ID_EMPTY");
  }

  @Test
  void userIdIsAtMost64Bytes() {
    rejects(b -> b.userId("a".repeat(65)), "user_id", "USER_ID_TOO_LONG");
    assertThat(valid().userId("a".repeat(64)).build().userId()).hasSize(64);
  }

  @Test
  void userIdUsesLettersDigitsUnderscoreHyphenDot() {
    for (String bad : List.of("a b", "a#b", "a\"b", "é", "a/b", "a@b")) {
      rejects(b -> b.userId(bad), "user_id", "USER_ID_CHARSET");
    }
  }

  @Test
  void ttlIsRequiredAndPositive() {
    assertThatThrownBy(() -> DynamicToken.builder().appKey("o#a").credential(CREDENTIAL).userId("u").build())
        .isInstanceOfSatisfying(InvalidTokenInputException.class, e -> assertThat(e.reason()).isEqualTo("LIFETIME_REQUIRED"));
    rejects(b -> b.ttlSeconds(0), "lifetime_seconds", "LIFETIME_NOT_POSITIVE");
    rejects(b -> b.ttlSeconds(-1), "lifetime_seconds", "LIFETIME_NOT_POSITIVE");
    rejects(b -> b.ttlSeconds(EasemobRules.MAX_TTL_SECONDS + 1), "lifetime_seconds", "LIFETIME_TOO_LONG");
  }

  @Test
  void issuedAtIsAPlausibleUnixTime() {
    rejects(b -> b.issuedAt(-1), "issued_at", "ISSUED_AT_RANGE");
  }

  @Test
  void builtTokensArePaddedUrlSafeBase64OfDtAndCompactJson() {
    DynamicToken t = valid().build();
    String decoded = new String(Base64.getUrlDecoder().decode(t.token()), StandardCharsets.UTF_8);
    assertThat(decoded).isEqualTo("dt-{\"signature\":\"" + t.signature() + "\",\"appkey\":\"org1#app-1\","
        + "\"userId\":\"alice_1.x-y\",\"curTime\":" + NOW + ",\"ttl\":600}");
    assertThat(t.token().length() % 4).isZero();
  }

  @Test
  void parserRejectsEmptyAndOverlongInput() {
    malformed(null, DynamicTokenParser.TOKEN_EMPTY);
    malformed("", DynamicTokenParser.TOKEN_EMPTY);
    malformed("A".repeat(DynamicTokenParser.MAX_TOKEN_CHARS + 4), DynamicTokenParser.TOKEN_TOO_LONG);
  }

  @Test
  void parserRequiresCanonicalUrlSafeBase64() {
    String token = valid().build().token();
    malformed(token + "!", DynamicTokenParser.BAD_BASE64);
    malformed(Base64.getEncoder().encodeToString("dt-{\"a\":\"?>?>\"}".getBytes(StandardCharsets.UTF_8)), DynamicTokenParser.BAD_BASE64);
    String canonical = Base64.getUrlEncoder().encodeToString("dt-{".getBytes(StandardCharsets.UTF_8));
    assertThat(canonical).endsWith("ew==");
    malformed(canonical.replace("ew==", "ex=="), DynamicTokenParser.BAD_BASE64);
    malformed(canonical.replace("ew==", "ex"), DynamicTokenParser.BAD_BASE64);
    malformed(canonical.replace("ew==", "ew="), DynamicTokenParser.BAD_BASE64);
  }

  @Test
  void parserRequiresTheDtPrefix() {
    malformed(Base64.getUrlEncoder().encodeToString(body().toString().getBytes(StandardCharsets.UTF_8)), DynamicTokenParser.BAD_PREFIX);
    malformed(Base64.getUrlEncoder().encodeToString("dt".getBytes(StandardCharsets.UTF_8)), DynamicTokenParser.BAD_PREFIX);
    malformed(Base64.getUrlEncoder().encodeToString(("DT-" + body()).getBytes(StandardCharsets.UTF_8)), DynamicTokenParser.BAD_PREFIX);
  }

  @Test
  void parserRequiresOneJsonObject() {
    malformed(encode(""), DynamicTokenParser.BAD_JSON);
    malformed(encode("[]"), DynamicTokenParser.BAD_JSON);
    malformed(encode(body() + "{}"), DynamicTokenParser.BAD_JSON);
    malformed(encode(body().toString().replace("{", "{\"ttl\":1,")), DynamicTokenParser.BAD_JSON);
    byte[] notUtf8 = {'d', 't', '-', '{', '"', (byte) 0xFF, '"', ':', '1', '}'};
    malformed(Base64.getUrlEncoder().encodeToString(notUtf8), DynamicTokenParser.BAD_JSON);
  }

  @Test
  void parserRequiresExactlyTheFiveFieldsWithTheirTypes() {
    malformed(encode(body().without("ttl").toString()), DynamicTokenParser.BAD_FIELD);
    malformed(encode(body().put("extra", 1).toString()), DynamicTokenParser.BAD_FIELD);
    malformed(encode(body().put("curTime", "" + NOW).toString()), DynamicTokenParser.BAD_FIELD);
    malformed(encode(body().put("curTime", NOW + 0.5).toString()), DynamicTokenParser.BAD_FIELD);
    malformed(encode(body().put("curTime", -1).toString()), DynamicTokenParser.BAD_FIELD);
    malformed(encode(body().put("ttl", 0).toString()), DynamicTokenParser.BAD_FIELD);
    malformed(encode(body().put("ttl", 600.0).toString()), DynamicTokenParser.BAD_FIELD);
    malformed(encode(body().put("userId", "").toString()), DynamicTokenParser.BAD_FIELD);
    malformed(encode(body().put("userId", 5).toString()), DynamicTokenParser.BAD_FIELD);
    malformed(encode(body().put("appkey", "orgapp").toString()), DynamicTokenParser.BAD_FIELD);
    malformed(encode(body().putNull("appkey").toString()), DynamicTokenParser.BAD_FIELD);
  }

  @Test
  void signatureIs64LowercaseHexDigits() {
    String sig = valid().build().signature();
    malformed(encode(body().put("signature", sig.toUpperCase()).toString()), DynamicTokenParser.BAD_FIELD);
    malformed(encode(body().put("signature", sig.substring(1)).toString()), DynamicTokenParser.BAD_FIELD);
    malformed(encode(body().put("signature", sig.substring(1) + "g").toString()), DynamicTokenParser.BAD_FIELD);
  }

  @Test
  void verifierRequiresACredential() {
    String token = valid().build().token();
    unverified(() -> DynamicTokenVerifier.builder().expectedAppKey("org1#app-1").clock(CLOCK).build().verify(token), TokenVerificationException.NO_CREDENTIALS);
  }

  @Test
  void verifierChecksTheExpectedAppKey() {
    String token = valid().build().token();
    DynamicTokenVerifier v = DynamicTokenVerifier.builder().credential(CREDENTIAL).expectedAppKey("org1#app-2").clock(CLOCK).build();
    unverified(() -> v.verify(token), DynamicTokenVerifier.APP_KEY_MISMATCH);
  }

  @Test
  void verifierRejectsAChangedSignature() {
    DynamicToken t = valid().build();
    char last = t.signature().charAt(63);
    String forged = encode(body().put("signature", t.signature().substring(0, 63) + (last == '0' ? '1' : '0')).toString());
    DynamicTokenVerifier v = DynamicTokenVerifier.builder().credential(CREDENTIAL).expectedAppKey("org1#app-1").clock(CLOCK).build();
    unverified(() -> v.verify(forged), TokenVerificationException.SIGNATURE_MISMATCH);
  }

  @Test
  void messagesNeverCarryTheTokenOrSecret() {
    String token = valid().build().token();
    DynamicTokenVerifier late = DynamicTokenVerifier.builder().credential(CREDENTIAL).expectedAppKey("org1#app-1")
        .clock(Clock.fixed(Instant.ofEpochSecond(NOW + 600), ZoneOffset.UTC)).build();
    assertThatThrownBy(() -> late.verify(token))
        .isInstanceOfSatisfying(TokenVerificationException.class, e -> {
          assertThat(e.reason()).isEqualTo(TokenVerificationException.TOKEN_EXPIRED);
          assertThat(e.getMessage()).doesNotContain(token.substring(0, 20)).doesNotContain(SECRET);
        });
    assertThat(CREDENTIAL.toString()).doesNotContain(SECRET);
  }
}
