package dev.tokenauthority.core.zego04;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenException;
import dev.tokenauthority.core.TokenVerificationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** One test per rule of the Token04 envelope parser and of the strict plaintext checks. */
class Token04ParseAndVerifyRulesTest {
  static final String SECRET = Token04BuilderRulesTest.SECRET;
  static final byte[] IV = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final long CTIME = 1_700_000_000L;
  static final long EXPIRE = CTIME + 600;

  static final Token04Verifier VERIFIER =
      Token04Verifier.builder()
          .serverSecret(Secret.of(SECRET))
          .clock(Clock.fixed(Instant.ofEpochSecond(CTIME), ZoneOffset.UTC))
          .build();

  /** A Token04 assembled by hand, so each field can be broken on its own. */
  static String envelope(long expire, byte[] iv, byte[] ct, byte[] trailing) {
    ByteBuffer b = ByteBuffer.allocate(8 + 2 + iv.length + 2 + ct.length + trailing.length);
    b.putLong(expire).putShort((short) iv.length).put(iv).putShort((short) ct.length).put(ct).put(trailing);
    return "04" + Base64.getEncoder().encodeToString(b.array());
  }

  static byte[] encrypt(String secret, byte[] plaintext) {
    try {
      Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "AES"), new IvParameterSpec(IV));
      return c.doFinal(plaintext);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String withPlaintext(long headerExpire, String plaintext) {
    return envelope(headerExpire, IV, encrypt(SECRET, plaintext.getBytes(StandardCharsets.UTF_8)), new byte[0]);
  }

  static String plaintext(String appId, String userId, String nonce, String ctime, String expire, String payload) {
    return "{\"app_id\":" + appId + ",\"user_id\":" + userId + ",\"nonce\":" + nonce + ",\"ctime\":" + ctime
        + ",\"expire\":" + expire + ",\"payload\":" + payload + "}";
  }

  static String good(String payloadJsonString) {
    return withPlaintext(EXPIRE, plaintext("42", "\"u1\"", "7", "" + CTIME, "" + EXPIRE, payloadJsonString));
  }

  static void malformed(ThrowingCallable call, String reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(MalformedTokenException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  static void unverified(ThrowingCallable call, String reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(TokenVerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  static void plaintextRejected(String token, String reason) {
    malformed(() -> VERIFIER.verify(token), reason);
  }

  @Test
  void handMadeEnvelopeOfAGoodPlaintextVerifies() {
    ZegoToken04 t = VERIFIER.verify(good("\"\"")).claims();
    assertThat(t.zegoAppId()).isEqualTo(42);
    assertThat(t.userId()).isEqualTo("u1");
    assertThat(t.nonce()).isEqualTo(7);
    assertThat(t.room()).isEmpty();
  }

  @Test
  void emptyOrMissingToken() {
    malformed(() -> Token04Parser.parse(null), Token04Parser.TOKEN_EMPTY);
    malformed(() -> Token04Parser.parse(""), Token04Parser.TOKEN_EMPTY);
  }

  @Test
  void prefixMustBe04() {
    String token = good("\"\"");
    malformed(() -> Token04Parser.parse("03" + token.substring(2)), Token04Parser.BAD_PREFIX);
    malformed(() -> Token04Parser.parse(token.substring(2)), Token04Parser.BAD_PREFIX);
    malformed(() -> Token04Parser.parse("0"), Token04Parser.BAD_PREFIX);
  }

  @Test
  void bodyMustBeCanonicalPaddedBase64() {
    String token = good("\"\"");
    malformed(() -> Token04Parser.parse(token + "!"), Token04Parser.BAD_BASE64);
    malformed(() -> Token04Parser.parse(token.replace('+', '-').replace('/', '_') + "*"), Token04Parser.BAD_BASE64);
    // Four zero bytes end in "AA=="; "AB==" decodes to the same bytes via a leftover bit.
    String canonical = "04" + Base64.getEncoder().encodeToString(new byte[] {0, 0, 0, 0});
    assertThat(canonical).endsWith("AA==");
    malformed(() -> Token04Parser.parse(canonical.replace("AA==", "AB==")), Token04Parser.BAD_BASE64);
    malformed(() -> Token04Parser.parse(canonical.replace("==", "")), Token04Parser.BAD_BASE64);
  }

  @Test
  void tokenLengthIsBounded() {
    malformed(() -> Token04Parser.parse("04" + "A".repeat(Token04Parser.MAX_TOKEN_CHARS)), Token04Parser.TOKEN_TOO_LONG);
  }

  @Test
  void lengthsPastTheEndAreTruncation() {
    malformed(() -> Token04Parser.parse("04" + Base64.getEncoder().encodeToString(new byte[9])), Token04Parser.TRUNCATED);
    String full = good("\"\"");
    byte[] raw = Base64.getDecoder().decode(full.substring(2));
    for (int cut : new int[] {12, 26, 27, raw.length - 1}) {
      byte[] shorter = java.util.Arrays.copyOf(raw, cut);
      malformed(() -> Token04Parser.parse("04" + Base64.getEncoder().encodeToString(shorter)), Token04Parser.TRUNCATED);
    }
  }

  @Test
  void trailingBytesAreRejected() {
    malformed(() -> Token04Parser.parse(envelope(EXPIRE, IV, new byte[16], new byte[] {0})), Token04Parser.TRAILING_BYTES);
  }

  @Test
  void ivMustBe16Bytes() {
    malformed(() -> Token04Parser.parse(envelope(EXPIRE, new byte[15], new byte[16], new byte[0])), Token04Parser.BAD_IV_LENGTH);
    malformed(() -> Token04Parser.parse(envelope(EXPIRE, new byte[17], new byte[16], new byte[0])), Token04Parser.BAD_IV_LENGTH);
  }

  @Test
  void ciphertextIsAPositiveMultipleOfTheBlockSize() {
    malformed(() -> Token04Parser.parse(envelope(EXPIRE, IV, new byte[0], new byte[0])), Token04Parser.BAD_CIPHERTEXT_LENGTH);
    malformed(() -> Token04Parser.parse(envelope(EXPIRE, IV, new byte[17], new byte[0])), Token04Parser.BAD_CIPHERTEXT_LENGTH);
  }

  @Test
  void headerExpiryIsAPlausibleUnixTime() {
    malformed(() -> Token04Parser.parse(envelope(-1, IV, new byte[16], new byte[0])), Token04Parser.BAD_EXPIRE);
    malformed(() -> Token04Parser.parse(envelope(Long.MAX_VALUE, IV, new byte[16], new byte[0])), Token04Parser.BAD_EXPIRE);
  }

  @Test
  void wrongSecretShowsAsPaddingOrJsonErrorAndIsNotOurs() {
    String otherSecret = "ffffffffffffffffffffffffffffffff";
    String token = envelope(EXPIRE, IV, encrypt(otherSecret, plaintext("42", "\"u1\"", "7", "" + CTIME, "" + EXPIRE, "\"\"").getBytes(StandardCharsets.UTF_8)), new byte[0]);
    unverified(() -> VERIFIER.verify(token), TokenVerificationException.SIGNATURE_MISMATCH);
  }

  @Test
  void plaintextThatIsNotOneUtf8JsonObjectIsNotOurs() {
    unverified(() -> VERIFIER.verify(withPlaintext(EXPIRE, "[1,2]")), TokenVerificationException.SIGNATURE_MISMATCH);
    unverified(() -> VERIFIER.verify(withPlaintext(EXPIRE, "{\"a\":1} x")), TokenVerificationException.SIGNATURE_MISMATCH);
    unverified(() -> VERIFIER.verify(withPlaintext(EXPIRE, "{\"a\":1,\"a\":2}")), TokenVerificationException.SIGNATURE_MISMATCH);
    byte[] notUtf8 = {'{', '"', (byte) 0xC3, '"', ':', '1', '}'};
    unverified(() -> VERIFIER.verify(envelope(EXPIRE, IV, encrypt(SECRET, notUtf8), new byte[0])),
        TokenVerificationException.SIGNATURE_MISMATCH);
  }

  @Test
  void plaintextHasExactlyTheVendorFields() {
    plaintextRejected(withPlaintext(EXPIRE, "{\"app_id\":42}"), Token04Parser.BAD_PLAINTEXT);
    String extra = plaintext("42", "\"u1\"", "7", "" + CTIME, "" + EXPIRE, "\"\"").replace("}", ",\"x\":1}");
    plaintextRejected(withPlaintext(EXPIRE, extra), Token04Parser.BAD_PLAINTEXT);
    String renamed = plaintext("42", "\"u1\"", "7", "" + CTIME, "" + EXPIRE, "\"\"").replace("nonce", "Nonce");
    plaintextRejected(withPlaintext(EXPIRE, renamed), Token04Parser.BAD_PLAINTEXT);
  }

  @Test
  void plaintextKeyOrderIsFree() {
    String reordered = "{\"payload\":\"\",\"expire\":" + EXPIRE + ",\"ctime\":" + CTIME
        + ",\"nonce\":-5,\"user_id\":\"u1\",\"app_id\":42}";
    assertThat(VERIFIER.verify(withPlaintext(EXPIRE, reordered)).claims().nonce()).isEqualTo(-5);
  }

  @Test
  void plaintextFieldTypesAndRanges() {
    String c = "" + CTIME;
    String e = "" + EXPIRE;
    for (String[] bad : new String[][] {
        {"\"42\"", "\"u1\"", "7", c, e, "\"\""},
        {"42.0", "\"u1\"", "7", c, e, "\"\""},
        {"0", "\"u1\"", "7", c, e, "\"\""},
        {"4294967296", "\"u1\"", "7", c, e, "\"\""},
        {"42", "1", "7", c, e, "\"\""},
        {"42", "\"u1\"", "2147483648", c, e, "\"\""},
        {"42", "\"u1\"", "7", "-1", e, "\"\""},
        {"42", "\"u1\"", "7", c, "1e10", "\"\""},
        {"42", "\"u1\"", "7", c, e, "null"},
        {"42", "\"u 1\"", "7", c, e, "\"\""},
        {"42", "\"\"", "7", c, e, "\"\""},
        {"42", "\"u1\"", "7", e, e, "\"\""},
    }) {
      plaintextRejected(withPlaintext(EXPIRE, plaintext(bad[0], bad[1], bad[2], bad[3], bad[4], bad[5])), Token04Parser.BAD_PLAINTEXT);
    }
  }

  @Test
  void headerExpiryMustEqualThePlaintextExpiry() {
    String token = withPlaintext(EXPIRE + 1, plaintext("42", "\"u1\"", "7", "" + CTIME, "" + EXPIRE, "\"\""));
    plaintextRejected(token, Token04Parser.EXPIRE_MISMATCH);
  }

  @Test
  void roomPayloadIsReadStrictly() {
    String ok = "{\\\"room_id\\\":\\\"r1\\\",\\\"privilege\\\":{\\\"1\\\":1,\\\"2\\\":0},\\\"stream_id_list\\\":[\\\"s1\\\"]}";
    ZegoToken04 t = VERIFIER.verify(good("\"" + ok + "\"")).claims();
    assertThat(t.room()).contains(new ZegoRoomPrivileges("r1", true, false, java.util.List.of("s1")));

    for (String bad : new String[] {
        "x",
        "[]",
        ok.replace("\\\"1\\\":1", "\\\"1\\\":2"),
        ok.replace("\\\"1\\\":1,", ""),
        ok.replace("\\\"1\\\":1", "\\\"1\\\":true"),
        ok.replace("[\\\"s1\\\"]", "[1]"),
        ok.replace("[\\\"s1\\\"]", "\\\"s1\\\""),
        ok.replace("\\\"r1\\\"", "1"),
        ok.replace("\\\"r1\\\"", "\\\"\\\""),
        ok.replace("}", ",\\\"x\\\":1}"),
        ok.replace("{\\\"1\\\":1,\\\"2\\\":0}", "[1,0]"),
    }) {
      plaintextRejected(good("\"" + bad + "\""), Token04Parser.BAD_PAYLOAD);
    }
  }

  @Test
  void expectedAppIdIsEnforced() {
    Token04Verifier forOtherApp = Token04Verifier.builder().serverSecret(Secret.of(SECRET)).expectedAppId(43)
        .clock(Clock.fixed(Instant.ofEpochSecond(CTIME), ZoneOffset.UTC)).build();
    unverified(() -> forOtherApp.verify(good("\"\"")), Token04Verifier.APP_ID_MISMATCH);
  }

  @Test
  void noSecretsMeansNoCredentials() {
    unverified(() -> Token04Verifier.builder().build().verify(good("\"\"")), TokenVerificationException.NO_CREDENTIALS);
  }

  @Test
  void verifierSecretsFollowTheBuilderRule() {
    assertThatThrownBy(() -> Token04Verifier.builder().serverSecret(Secret.of("short")).build())
        .isInstanceOfSatisfying(InvalidTokenInputException.class, e -> {
          assertThat(e.field()).isEqualTo("server_secret");
          assertThat(e.reason()).isEqualTo("SERVER_SECRET_LENGTH");
          assertThat(e.getMessage()).doesNotContain("short");
        });
  }

  @Test
  void negativeGraceIsAProgrammingError() {
    assertThatThrownBy(() -> VERIFIER.verify(good("\"\""), Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void messagesNeverCarryTheTokenOrSecret() {
    String token = good("\"\"");
    Token04Verifier late = Token04Verifier.builder().serverSecret(Secret.of(SECRET))
        .clock(Clock.fixed(Instant.ofEpochSecond(EXPIRE + 10), ZoneOffset.UTC)).build();
    for (ThrowingCallable call : new ThrowingCallable[] {
        () -> late.verify(token),
        () -> Token04Verifier.builder().serverSecret(Secret.of("ffffffffffffffffffffffffffffffff")).build().verify(token),
        () -> Token04Parser.parse(token + "x"),
    }) {
      assertThatThrownBy(call).isInstanceOfSatisfying(TokenException.class, e -> {
        assertThat(e.getMessage()).doesNotContain(token.substring(2, 30)).doesNotContain(SECRET).doesNotContain("ffffffff");
      });
    }
  }
}
