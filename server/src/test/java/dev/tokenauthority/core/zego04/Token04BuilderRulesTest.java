package dev.tokenauthority.core.zego04;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.Secret;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** One test per input rule of the Token04 builder. */
class Token04BuilderRulesTest {
  static final String SECRET = "fa94dd0f974cf2e293728a526b028271";
  static final long NOW = 1_700_000_000L;

  static Token04Builder valid() {
    return ZegoToken04.builder()
        .appId(1_234_567_890L)
        .serverSecret(Secret.of(SECRET))
        .userId("user-1")
        .lifetimeSeconds(3600)
        .clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC))
        .random(new Random(7));
  }

  static void rejects(UnaryOperator<Token04Builder> change, String field, String reason) {
    rejects(() -> change.apply(valid()).build(), field, reason);
  }

  static void rejects(ThrowingCallable call, String field, String reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidTokenInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.getMessage()).doesNotContain(SECRET);
            });
  }

  @Test
  void validInputsBuild() {
    ZegoToken04 t = valid().build();
    assertThat(t.token()).startsWith("04");
    assertThat(t.ctimeSeconds()).isEqualTo(NOW);
    assertThat(t.expireSeconds()).isEqualTo(NOW + 3600);
    assertThat(t.toString()).doesNotContain(t.token());
  }

  @Test
  void appIdIsRequired() {
    rejects(() -> ZegoToken04.builder().serverSecret(Secret.of(SECRET)).userId("u").lifetimeSeconds(1).build(),
        "app_id", "APP_ID_REQUIRED");
  }

  @Test
  void appIdIsAnUnsigned32BitNumberFromOne() {
    rejects(b -> b.appId(0), "app_id", "APP_ID_RANGE");
    rejects(b -> b.appId(-1), "app_id", "APP_ID_RANGE");
    rejects(b -> b.appId(4_294_967_296L), "app_id", "APP_ID_RANGE");
    assertThat(valid().appId(4_294_967_295L).build().zegoAppId()).isEqualTo(4_294_967_295L);
    assertThat(valid().appId(1).build().appId()).isEqualTo("1");
  }

  @Test
  void serverSecretIsRequired() {
    rejects(b -> b.serverSecret(null), "server_secret", "SERVER_SECRET_REQUIRED");
  }

  @Test
  void serverSecretIsExactly32AsciiCharacters() {
    rejects(b -> b.serverSecret(Secret.of(SECRET.substring(1))), "server_secret", "SERVER_SECRET_LENGTH");
    rejects(b -> b.serverSecret(Secret.of(SECRET + "0")), "server_secret", "SERVER_SECRET_LENGTH");
    rejects(b -> b.serverSecret(Secret.of("é" + SECRET.substring(1))), "server_secret", "SERVER_SECRET_LENGTH");
  }

  @Test
  void userIdIsRequiredAndNotEmpty() {
    rejects(b -> b.userId(null), "user_id", "USER_ID_EMPTY");
    rejects(b -> b.userId(""), "user_id", "USER_ID_EMPTY");
  }

  @Test
  void userIdIsAtMost32Bytes() {
    assertThat(valid().userId("a".repeat(32)).build().userId()).hasSize(32);
    rejects(b -> b.userId("a".repeat(33)), "user_id", "USER_ID_TOO_LONG");
  }

  @Test
  void userIdUsesDigitsLettersAndTheVendorSymbolsOnly() {
    String symbols = "!#$%&()+-:;<=.>?@[]^_{}|~";
    assertThat(valid().userId(symbols).build().userId()).isEqualTo(symbols);
    assertThat(valid().userId("AZaz09").build().userId()).isEqualTo("AZaz09");
    for (String bad : List.of("a b", "a*b", "a/b", "a\"b", "a\\b", "a,b", "a'b", "é", "a\nb", "a`b")) {
      rejects(b -> b.userId(bad), "user_id", "USER_ID_CHARSET");
    }
  }

  @Test
  void lifetimeIsRequired() {
    rejects(() -> ZegoToken04.builder().appId(1).serverSecret(Secret.of(SECRET)).userId("u").build(),
        "lifetime_seconds", "LIFETIME_REQUIRED");
  }

  @Test
  void lifetimeIsPositive() {
    rejects(b -> b.lifetimeSeconds(0), "lifetime_seconds", "LIFETIME_NOT_POSITIVE");
    rejects(b -> b.lifetimeSeconds(-1), "lifetime_seconds", "LIFETIME_NOT_POSITIVE");
    assertThat(valid().lifetimeSeconds(1).build().expireSeconds()).isEqualTo(NOW + 1);
  }

  @Test
  void lifetimeFitsASigned32BitNumber() {
    rejects(b -> b.lifetimeSeconds(Integer.MAX_VALUE + 1L), "lifetime_seconds", "LIFETIME_TOO_LONG");
    assertThat(valid().lifetimeSeconds(Integer.MAX_VALUE).build().expireSeconds()).isEqualTo(NOW + Integer.MAX_VALUE);
  }

  @Test
  void issuedAtIsAPlausibleUnixTime() {
    rejects(b -> b.issuedAt(-1), "issued_at", "ISSUED_AT_RANGE");
  }

  @Test
  void ivIsExactly16PrintableAsciiCharacters() {
    rejects(b -> b.iv("0123456789abcde"), "iv", "IV_FORMAT");
    rejects(b -> b.iv("0123456789abcdef0"), "iv", "IV_FORMAT");
    rejects(b -> b.iv("0123456789abcde "), "iv", "IV_FORMAT");
    rejects(b -> b.iv("0123456789abcdeé"), "iv", "IV_FORMAT");
  }

  @Test
  void roomIdIsNotEmpty() {
    rejects(() -> ZegoRoomPrivileges.of("", true, true), "room_id", "ROOM_ID_EMPTY");
  }

  @Test
  void roomIdIsAtMost128Bytes() {
    assertThat(ZegoRoomPrivileges.of("r".repeat(128), true, false).roomId()).hasSize(128);
    rejects(() -> ZegoRoomPrivileges.of("r".repeat(129), true, false), "room_id", "ROOM_ID_TOO_LONG");
    // 65 two-byte characters: 65 chars but 130 bytes.
    rejects(() -> ZegoRoomPrivileges.of("é".repeat(65), true, false), "room_id", "ROOM_ID_TOO_LONG");
  }

  @Test
  void roomIdIsPrintableText() {
    rejects(() -> ZegoRoomPrivileges.of("a\nb", true, false), "room_id", "ROOM_ID_CHARSET");
    rejects(() -> ZegoRoomPrivileges.of("a\u0000", true, false), "room_id", "ROOM_ID_CHARSET");
    rejects(() -> ZegoRoomPrivileges.of("a\uD800", true, false), "room_id", "ROOM_ID_CHARSET");
  }

  @Test
  void streamIdsAreNonEmptyWordCharactersOfAtMost256Bytes() {
    rejects(() -> new ZegoRoomPrivileges("r", true, true, List.of("")), "stream_ids", "STREAM_ID_EMPTY");
    rejects(() -> new ZegoRoomPrivileges("r", true, true, Collections.singletonList(null)), "stream_ids", "STREAM_ID_EMPTY");
    rejects(() -> new ZegoRoomPrivileges("r", true, true, List.of("a b")), "stream_ids", "STREAM_ID_CHARSET");
    rejects(() -> new ZegoRoomPrivileges("r", true, true, List.of("s".repeat(257))), "stream_ids", "STREAM_ID_TOO_LONG");
    assertThat(new ZegoRoomPrivileges("r", true, true, List.of("s".repeat(256), "a-b_C9")).streamIds()).hasSize(2);
  }

  @Test
  void atMost100StreamIds() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      ids.add("s" + i);
    }
    rejects(() -> new ZegoRoomPrivileges("r", true, true, ids), "stream_ids", "STREAM_IDS_TOO_MANY");
    assertThat(new ZegoRoomPrivileges("r", true, true, ids.subList(0, 100)).streamIds()).hasSize(100);
  }

  @Test
  void defaultsComeFromTheInjectedClockAndRandomSource() {
    ZegoToken04 a = valid().random(new Random(42)).build();
    ZegoToken04 b = valid().random(new Random(42)).build();
    ZegoToken04 c = valid().random(new Random(43)).build();

    assertThat(a.token()).isEqualTo(b.token());
    assertThat(a.token()).isNotEqualTo(c.token());
    assertThat(a.nonce()).isEqualTo(b.nonce());
    assertThat(new String(Token04Parser.parse(a.token()).iv(), java.nio.charset.StandardCharsets.US_ASCII))
        .matches("[0-9a-z]{16}");
    assertThat(valid().random(null).build().token()).isNotEqualTo(valid().random(null).build().token());
  }

  @Test
  void randomIvsUseTheWholeVendorAlphabetEvenly() {
    Random random = new Random(11);
    int[] counts = new int[128];
    java.util.Set<Integer> nonces = new java.util.HashSet<>();
    int tokens = 2000;
    for (int i = 0; i < tokens; i++) {
      ZegoToken04 t = valid().random(random).build();
      nonces.add(t.nonce());
      for (byte b : Token04Parser.parse(t.token()).iv()) {
        counts[b]++;
      }
    }
    String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    double expected = tokens * 16.0 / alphabet.length();
    for (char ch : alphabet.toCharArray()) {
      assertThat((double) counts[ch]).as("count of '%s'", ch).isBetween(expected * 0.8, expected * 1.2);
    }
    assertThat(java.util.Arrays.stream(counts).sum()).isEqualTo(tokens * 16);
    assertThat(nonces).hasSizeGreaterThan(tokens - 5);
  }

  @Test
  void streamIdsAreWrittenAsAListAndReadBack() {
    ZegoToken04 t = valid().room(new ZegoRoomPrivileges("room", false, true, List.of("s1", "s2"))).build();

    assertThat(t.payload())
        .isEqualTo("{\"room_id\":\"room\",\"privilege\":{\"1\":0,\"2\":1},\"stream_id_list\":[\"s1\",\"s2\"]}");
    ZegoToken04 back =
        Token04Verifier.builder().serverSecret(Secret.of(SECRET)).clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC))
            .build().verify(t.token()).claims();
    assertThat(back).isEqualTo(t);
    assertThat(back.privileges()).extracting(p -> p.name()).containsExactly("publish");
  }

  @Test
  void roomIdsNeedingJsonEscapesAreWrittenAsJsonStringifyDoes() {
    ZegoToken04 t = valid().room(ZegoRoomPrivileges.of("a\"b\\c/é😀", true, true)).build();

    assertThat(t.payload()).startsWith("{\"room_id\":\"a\\\"b\\\\c/é😀\",");
    ZegoToken04 back =
        Token04Verifier.builder().serverSecret(Secret.of(SECRET)).clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC))
            .build().verify(t.token()).claims();
    assertThat(back.channel()).contains("a\"b\\c/é😀");
  }
}
