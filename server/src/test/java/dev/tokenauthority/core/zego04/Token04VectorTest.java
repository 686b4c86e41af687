package dev.tokenauthority.core.zego04;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenauthority.core.Privilege;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of the vendor vectors (zego.json). */
class Token04VectorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Secret WRONG = new Secret("primary", "0123456789abcdef0123456789abcdef");

  static Stream<Arguments> cases() {
    return Vectors.cases("zego").stream()
        .map(c -> Arguments.of(c.get("user_id").asText() + "@" + c.get("app_id").asLong(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void encoderReproducesTheVendorTokenByteForByte(String name, JsonNode c) throws Exception {
    JsonNode plaintext = JSON.readTree(c.get("plaintext").asText());
    ZegoToken04 built =
        ZegoToken04.builder()
            .appId(c.get("app_id").asLong())
            .serverSecret(Secret.of(c.get("server_secret").asText()))
            .userId(c.get("user_id").asText())
            .lifetimeSeconds(c.get("effective_time_in_seconds").asLong())
            .issuedAt(c.get("ctime").asLong())
            .nonce(plaintext.get("nonce").asInt())
            .iv(c.get("iv").asText())
            .room(roomOf(c.get("payload").asText()))
            .build();

    assertThat(built.token()).isEqualTo(c.get("token").asText());
    assertThat(built.payload()).isEqualTo(c.get("payload").asText());
    assertThat(built.expireSeconds()).isEqualTo(c.get("expire").asLong());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parserReadsTheClearEnvelope(String name, JsonNode c) {
    Token04Envelope envelope = Token04Parser.parse(c.get("token").asText());

    assertThat(envelope.expireSeconds()).isEqualTo(c.get("expire").asLong());
    assertThat(envelope.iv()).isEqualTo(c.get("iv").asText().getBytes(StandardCharsets.US_ASCII));
    // Independent check of the ciphertext: decrypt with the JDK directly, compare to the vector.
    assertThat(independentDecrypt(c)).isEqualTo(c.get("plaintext").asText());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void verifierRecoversEveryPlaintextField(String name, JsonNode c) throws Exception {
    JsonNode plaintext = JSON.readTree(c.get("plaintext").asText());
    Token04Verifier verifier =
        Token04Verifier.builder()
            .serverSecret(Secret.of(c.get("server_secret").asText()))
            .expectedAppId(c.get("app_id").asLong())
            .clock(at(c.get("ctime").asLong()))
            .build();

    VerifiedToken<ZegoToken04> verified = verifier.verify(c.get("token").asText());
    ZegoToken04 t = verified.claims();

    assertThat(verified.matchedCredential()).isEqualTo("primary");
    assertThat(t.format()).isEqualTo(TokenFormat.ZEGO_04);
    assertThat(t.zegoAppId()).isEqualTo(plaintext.get("app_id").asLong());
    assertThat(t.appId()).isEqualTo(Long.toString(c.get("app_id").asLong()));
    assertThat(t.userId()).isEqualTo(plaintext.get("user_id").asText()).isEqualTo(t.subject());
    assertThat(t.nonce()).isEqualTo(plaintext.get("nonce").asInt());
    assertThat(t.ctimeSeconds()).isEqualTo(plaintext.get("ctime").asLong());
    assertThat(t.expireSeconds()).isEqualTo(plaintext.get("expire").asLong());
    assertThat(t.payload()).isEqualTo(plaintext.get("payload").asText());
    assertThat(t.issuedAt()).isEqualTo(Instant.ofEpochSecond(c.get("ctime").asLong()));
    assertThat(t.expiresAt()).isEqualTo(Instant.ofEpochSecond(c.get("expire").asLong()));
    ZegoRoomPrivileges expectedRoom = roomOf(c.get("payload").asText());
    assertThat(t.room()).isEqualTo(java.util.Optional.ofNullable(expectedRoom));
    assertThat(t.channel()).isEqualTo(t.room().map(ZegoRoomPrivileges::roomId));
    List<String> names = t.privileges().stream().map(Privilege::name).toList();
    if (expectedRoom == null) {
      assertThat(names).isEmpty();
    } else {
      List<String> expected = new ArrayList<>();
      if (expectedRoom.canLogin()) expected.add("login");
      if (expectedRoom.canPublish()) expected.add("publish");
      assertThat(names).isEqualTo(expected);
      assertThat(t.privileges()).allSatisfy(p -> assertThat(p.service()).isEqualTo("zego"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void wrongSecretIsNotOursAndSecondaryIsNamedWhenItMatches(String name, JsonNode c) {
    String token = c.get("token").asText();
    Clock clock = at(c.get("ctime").asLong());

    Token04Verifier wrongOnly = Token04Verifier.builder().serverSecret(WRONG).clock(clock).build();
    assertThatThrownBy(() -> wrongOnly.verify(token))
        .isInstanceOfSatisfying(
            TokenVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(TokenVerificationException.SIGNATURE_MISMATCH));

    Token04Verifier rotating =
        Token04Verifier.builder()
            .serverSecret(WRONG)
            .serverSecret(new Secret("secondary", c.get("server_secret").asText()))
            .clock(clock)
            .build();
    assertThat(rotating.verify(token).matchedCredential()).isEqualTo("secondary");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void expiryIsCheckedAgainstTheClockWithOptionalGrace(String name, JsonNode c) {
    String token = c.get("token").asText();
    long expire = c.get("expire").asLong();
    Secret secret = Secret.of(c.get("server_secret").asText());

    Token04Verifier lastSecond = Token04Verifier.builder().serverSecret(secret).clock(at(expire - 1)).build();
    assertThat(lastSecond.verify(token).claims().expireSeconds()).isEqualTo(expire);

    Token04Verifier atExpiry = Token04Verifier.builder().serverSecret(secret).clock(at(expire)).build();
    assertThatThrownBy(() -> atExpiry.verify(token))
        .isInstanceOfSatisfying(
            TokenVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(TokenVerificationException.TOKEN_EXPIRED));
    assertThat(atExpiry.verify(token, Duration.ofSeconds(1)).claims().userId())
        .isEqualTo(c.get("user_id").asText());
    assertThat(atExpiry.decrypt(token).claims().expireSeconds()).isEqualTo(expire);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everySingleCharacterChangeOfAVendorTokenIsRejected(String name, JsonNode c) {
    String token = c.get("token").asText();
    Token04Verifier verifier =
        Token04Verifier.builder()
            .serverSecret(Secret.of(c.get("server_secret").asText()))
            .expectedAppId(c.get("app_id").asLong())
            .clock(at(c.get("ctime").asLong()))
            .build();
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    int checked = 0;
    for (int i = 0; i < token.length(); i++) {
      for (char r : alphabet.toCharArray()) {
        if (r == token.charAt(i)) {
          continue;
        }
        String tampered = token.substring(0, i) + r + token.substring(i + 1);
        assertThatThrownBy(() -> verifier.verify(tampered))
            .as("position %d -> %s", i, r)
            .isInstanceOf(dev.tokenauthority.core.TokenException.class);
        checked++;
      }
    }
    assertThat(checked).isEqualTo(token.length() * (alphabet.length() - 1));
  }

  static Clock at(long epochSeconds) {
    return Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
  }

  /** The room a vector's payload describes, read with plain Jackson (not our parser). */
  static ZegoRoomPrivileges roomOf(String payload) throws Exception {
    if (payload.isEmpty()) {
      return null;
    }
    JsonNode p = JSON.readTree(payload);
    List<String> streams = new ArrayList<>();
    if (p.get("stream_id_list").isArray()) {
      p.get("stream_id_list").forEach(s -> streams.add(s.asText()));
    }
    return new ZegoRoomPrivileges(
        p.get("room_id").asText(),
        p.get("privilege").get("1").asInt() == 1,
        p.get("privilege").get("2").asInt() == 1,
        streams);
  }

  private static String independentDecrypt(JsonNode c) {
    try {
      byte[] raw = Base64.getDecoder().decode(c.get("token").asText().substring(2));
      int ctLen = ((raw[26] & 0xFF) << 8) | (raw[27] & 0xFF);
      Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(c.get("server_secret").asText().getBytes(StandardCharsets.UTF_8), "AES"),
          new IvParameterSpec(raw, 10, 16));
      return new String(cipher.doFinal(raw, 28, ctLen), StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
