package dev.tokenauthority.core.zego04;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenException;
import dev.tokenauthority.core.TokenVerificationException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of Token04: round trips, single-character tampering, hostile input. */
class Token04Properties {
  private static final String USER_ID_CHARS =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&()+-:;<=.>?@[]^_{}|~";
  private static final String BASE64_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .";
  private static final int BASE64_CHARS_LENGTH = 69;

  record Input(long appId, String secret, String userId, long lifetime, long ctime, int nonce,
      String iv, Optional<ZegoRoomPrivileges> room) {
    ZegoToken04 build() {
      return ZegoToken04.builder().appId(appId).serverSecret(Secret.of(secret)).userId(userId)
          .lifetimeSeconds(lifetime).issuedAt(ctime).nonce(nonce).iv(iv).room(room.orElse(null)).build();
    }

    Token04Verifier verifier() {
      return Token04Verifier.builder().serverSecret(Secret.of(secret)).expectedAppId(appId)
          .clock(Clock.fixed(Instant.ofEpochSecond(ctime), ZoneOffset.UTC)).build();
    }
  }

  @Provide
  Arbitrary<Input> inputs() {
    Arbitrary<Long> appIds = Arbitraries.longs().between(1, 0xFFFF_FFFFL);
    Arbitrary<String> secrets = Arbitraries.strings().withCharRange('!', '~').ofLength(32);
    Arbitrary<String> userIds = Arbitraries.strings().withChars(USER_ID_CHARS).ofMinLength(1).ofMaxLength(32);
    Arbitrary<Long> lifetimes = Arbitraries.longs().between(1, Integer.MAX_VALUE);
    Arbitrary<Long> ctimes = Arbitraries.longs().between(0, 4_000_000_000L);
    Arbitrary<Integer> nonces = Arbitraries.integers();
    Arbitrary<String> ivs = Arbitraries.strings().withCharRange('!', '~').ofLength(16);
    Arbitrary<String> roomIds =
        Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40)
            .filter(s -> s.chars().noneMatch(Character::isISOControl))
            .filter(s -> !dev.tokenauthority.core.codec.JsonText.hasLoneSurrogate(s))
            .filter(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 128);
    Arbitrary<List<String>> streams =
        Arbitraries.strings().withCharRange('a', 'z').withChars("-_0123456789").ofMinLength(1).ofMaxLength(20)
            .list().ofMaxSize(4);
    Arbitrary<Optional<ZegoRoomPrivileges>> rooms =
        Combinators.combine(roomIds, Arbitraries.of(true, false), Arbitraries.of(true, false), streams)
            .as(ZegoRoomPrivileges::new).optional(0.5);
    return Combinators.combine(appIds, secrets, userIds, lifetimes, ctimes, nonces, ivs, rooms).as(Input::new);
  }

  @Property(tries = 300)
  void buildThenVerifyRoundTrips(@ForAll("inputs") Input in) {
    ZegoToken04 built = in.build();
    ZegoToken04 back = in.verifier().verify(built.token()).claims();

    assertThat(back).isEqualTo(built);
    assertThat(back.zegoAppId()).isEqualTo(in.appId());
    assertThat(back.userId()).isEqualTo(in.userId());
    assertThat(back.nonce()).isEqualTo(in.nonce());
    assertThat(back.ctimeSeconds()).isEqualTo(in.ctime());
    assertThat(back.expireSeconds()).isEqualTo(in.ctime() + in.lifetime());
    assertThat(back.room()).isEqualTo(in.room());
  }

  @Property(tries = 300)
  void changingAnySingleCharacterMakesParseOrVerifyFail(
      @ForAll("inputs") Input in,
      @ForAll @IntRange(min = 0, max = 100_000) int position,
      @ForAll @IntRange(min = 0, max = BASE64_CHARS_LENGTH - 1) int replacement) {
    String token = in.build().token();
    int i = position % token.length();
    char c = BASE64_CHARS.charAt(replacement);
    if (token.charAt(i) == c) {
      c = BASE64_CHARS.charAt((replacement + 1) % BASE64_CHARS.length());
    }
    String tampered = token.substring(0, i) + c + token.substring(i + 1);

    assertThatThrownBy(() -> in.verifier().verify(tampered)).isInstanceOf(TokenException.class);
  }

  @Property(tries = 500)
  void arbitraryStringsOnlyEverFailAsMalformed(@ForAll String s) {
    Token04Verifier v = Token04Verifier.builder().serverSecret(Secret.of("0123456789abcdef0123456789abcdef")).build();
    for (String token : new String[] {s, "04" + s}) {
      assertThatThrownBy(() -> v.verify(token)).isInstanceOf(MalformedTokenException.class);
    }
  }

  @Property(tries = 500)
  void randomWellFramedEnvelopesFailOnlyWithTypedExceptions(
      @ForAll long expire, @ForAll byte[] iv, @ForAll @IntRange(min = 0, max = 8) int blocks,
      @ForAll byte[] trailing, @ForAll boolean exactFraming) {
    byte[] ct = new byte[blocks * 16];
    new java.util.Random(expire).nextBytes(ct);
    byte[] ivBytes = exactFraming ? java.util.Arrays.copyOf(iv, 16) : iv;
    byte[] extra = exactFraming ? new byte[0] : trailing;
    ByteBuffer b = ByteBuffer.allocate(8 + 2 + ivBytes.length + 2 + ct.length + extra.length);
    b.putLong(exactFraming ? Math.floorMod(expire, 4_000_000_000L) : expire)
        .putShort((short) ivBytes.length).put(ivBytes).putShort((short) ct.length).put(ct).put(extra);
    String token = "04" + Base64.getEncoder().encodeToString(b.array());
    Token04Verifier v = Token04Verifier.builder().serverSecret(Secret.of("0123456789abcdef0123456789abcdef")).build();

    assertThatThrownBy(() -> v.verify(token))
        .isInstanceOfAny(MalformedTokenException.class, TokenVerificationException.class);
  }
}
