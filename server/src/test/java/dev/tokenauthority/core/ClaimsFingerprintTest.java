package dev.tokenauthority.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcUser;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora006.LegacyAccessTokenBuilder;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Builder;
import dev.tokenauthority.core.agora007.RtcService;
import dev.tokenauthority.core.agora007.ChatService;
import dev.tokenauthority.core.agora007.RtmService;
import dev.tokenauthority.core.detect.AnyToken;
import dev.tokenauthority.core.easemobdt.ClientCredential;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.easemobdt.DynamicTokenParser;
import dev.tokenauthority.core.testing.Reencode;
import dev.tokenauthority.core.zego04.ZegoRoomPrivileges;
import dev.tokenauthority.core.zego04.ZegoToken04;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One fingerprint per set of claims: re-encodings share it, any change in the claims changes it. */
class ClaimsFingerprintTest {
  static final long AT = Instant.parse("2026-06-01T12:00:00Z").getEpochSecond();
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(AT), ZoneOffset.UTC);
  static final Secret CERT = Secret.of("5CFd2fd1755d40ecb72977518be15d3b");
  static final String APP = "970CA35de60c44645bbae8a215061b33";
  static final ClientCredential EASEMOB = new ClientCredential("YMAVZF5klQ9f8SyyLlbFeg", Secret.of("YXA6secret"));

  static String fingerprint(String token) {
    return ClaimsFingerprint.of(AnyToken.parse(token).claims().orElseThrow());
  }

  static AccessToken2Builder rtc(String channel, long uid, long salt) {
    return AccessToken2Builder.create(CLOCK, new SecureRandom()).appId(APP).issueTs(AT).expire(600).salt(salt)
        .addService(RtcService.of(channel, RtcUser.uid(uid), Map.of(RtcPrivilege.JOIN_CHANNEL, 600L)));
  }

  static String v007() {
    return rtc("c1", 42, 7).sign(CERT).token();
  }

  static String dt(String user) {
    return DynamicToken.builder().appKey("org#app").credential(EASEMOB).userId(user).ttlSeconds(600)
        .issuedAt(AT).build().token();
  }

  @Test
  void a007TokenRecompressedAtAnotherLevelKeepsItsFingerprint() {
    String token = v007();
    for (int level : new int[] {Deflater.NO_COMPRESSION, Deflater.BEST_SPEED, Deflater.BEST_COMPRESSION}) {
      String other = Reencode.agora007AtLevel(token, level);
      assertThat(other).isNotEqualTo(token);
      assertThat(fingerprint(other)).isEqualTo(fingerprint(token));
      assertThat(ClaimsFingerprint.ofText(other)).isNotEqualTo(ClaimsFingerprint.ofText(token));
    }
  }

  @Test
  void aDtTokenWithReserialisedJsonKeepsItsFingerprint() {
    String token = dt("u1");
    String other = Reencode.easemobReserialised(token);
    assertThat(DynamicTokenParser.parse(other).signature()).isEqualTo(DynamicTokenParser.parse(token).signature());
    assertThat(other).isNotEqualTo(token);
    assertThat(fingerprint(other)).isEqualTo(fingerprint(token));
  }

  /** Pairs of tokens whose claims differ in one thing. */
  record Pair(String name, String a, String b) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Pair> differentClaims() {
    return Stream.of(
        new Pair("007 uid", v007(), rtc("c1", 43, 7).sign(CERT).token()),
        new Pair("007 channel", v007(), rtc("c2", 42, 7).sign(CERT).token()),
        new Pair("007 salt", v007(), rtc("c1", 42, 8).sign(CERT).token()),
        new Pair("007 expiry", v007(), rtc("c1", 42, 7).expire(601).sign(CERT).token()),
        new Pair("007 RTM user in an RTC token",
            rtc("c1", 42, 7).addService(RtmService.login("alice", 0)).sign(CERT).token(),
            rtc("c1", 42, 7).addService(RtmService.login("bob", 0)).sign(CERT).token()),
        new Pair("006 channel", v006("c1"), v006("c2")),
        new Pair("ZEGO nonce", zego(1, List.of()), zego(2, List.of())),
        new Pair("ZEGO stream ids", zego(1, List.of("s1")), zego(1, List.of("s2"))),
        new Pair("Easemob user", dt("u1"), dt("u2")));
  }

  static String v006(String channel) {
    return LegacyAccessTokenBuilder.create(CLOCK, new SecureRandom()).appId(APP).salt(7)
        .ts(AT + LegacyAccessToken.TS_OFFSET_SECONDS).channelName(channel).uid("42").privilege(1, 0).sign(CERT).token();
  }

  static String zego(int nonce, List<String> streams) {
    return ZegoToken04.builder().appId(1234567).serverSecret(Secret.of("fa94dd0f974cf2e293728a526b028271"))
        .userId("u1").lifetimeSeconds(600).issuedAt(AT).nonce(nonce).iv("0123456789abcdef")
        .room(new ZegoRoomPrivileges("r1", true, false, streams)).build().token();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("differentClaims")
  void differentClaimsHaveDifferentFingerprints(Pair p) {
    TokenClaims a = claims(p.a);
    TokenClaims b = claims(p.b);
    assertThat(ClaimsFingerprint.of(a)).hasSize(16).isNotEqualTo(ClaimsFingerprint.of(b));
    assertThat(ClaimsFingerprint.of(a)).as("deterministic").isEqualTo(ClaimsFingerprint.of(claims(p.a)));
  }

  /**
   * The per-thread, buffer-reusing encoder equals the plain stream version byte for byte, over
   * random claims of every format (ASCII and non-ASCII text, several services, rooms, streams),
   * and a thread's second fingerprint is not coloured by its first.
   */
  @Test
  void matchesTheReferenceEncodingOnRandomClaims() {
    Random random = new Random(20261203);
    for (int i = 0; i < 400; i++) {
      TokenClaims c = claims(randomToken(random));
      assertThat(ClaimsFingerprint.canonical(c)).as("case %d", i).isEqualTo(ClaimsFingerprintReference.canonical(c));
      assertThat(ClaimsFingerprint.of(c)).as("case %d", i).isEqualTo(ClaimsFingerprintReference.of(c));
    }
  }

  static String randomToken(Random r) {
    String text = randomText(r, false);
    switch (r.nextInt(4)) {
      case 0: {
        Map<RtcPrivilege, Long> lifetimes = new EnumMap<>(RtcPrivilege.class);
        for (RtcPrivilege p : RtcPrivilege.values()) {
          if (r.nextBoolean()) {
            lifetimes.put(p, (long) r.nextInt(3) * 300);
          }
        }
        lifetimes.putIfAbsent(RtcPrivilege.JOIN_CHANNEL, 600L);
        AccessToken2Builder b = AccessToken2Builder.create(CLOCK, new SecureRandom()).appId(APP).issueTs(AT)
            .expire(1 + r.nextInt(86400)).salt(1 + r.nextInt(99_999_999))
            .addService(RtcService.of(r.nextBoolean() ? "c" + r.nextInt(1000) : text,
                r.nextBoolean() ? RtcUser.uid(r.nextInt(Integer.MAX_VALUE)) : RtcUser.account("acc" + r.nextInt(99)),
                lifetimes));
        if (r.nextBoolean()) {
          b.addService(RtmService.login(text, r.nextInt(2) * 600L));
        }
        if (r.nextBoolean()) {
          b.addService(r.nextBoolean() ? ChatService.app(600) : ChatService.user("u" + r.nextInt(99), 0));
        }
        return b.sign(CERT).token();
      }
      case 1:
        return LegacyAccessTokenBuilder.create(CLOCK, new SecureRandom()).appId(APP).salt(r.nextInt(1000))
            .ts(AT + LegacyAccessToken.TS_OFFSET_SECONDS).channelName(text).uid(Integer.toString(r.nextInt(99_999)))
            .privilege(1, r.nextInt(2) * (AT + 600)).privilege(1 + r.nextInt(4), 0).sign(CERT).token();
      case 2: {
        List<String> streams = new ArrayList<>();
        for (int n = r.nextInt(4); n > 0; n--) {
          streams.add(randomText(r, false));
        }
        dev.tokenauthority.core.zego04.Token04Builder b = ZegoToken04.builder().appId(1234567)
            .serverSecret(Secret.of("fa94dd0f974cf2e293728a526b028271")).userId(randomText(r, false)).lifetimeSeconds(600)
            .issuedAt(AT).nonce(r.nextInt()).iv("0123456789abcdef");
        if (r.nextBoolean()) {
          b.room(new ZegoRoomPrivileges(randomText(r, true), r.nextBoolean(), r.nextBoolean(), streams));
        }
        return b.build().token();
      }
      default:
        return dt("u" + r.nextInt(1_000_000));
    }
  }

  /** 1-32 characters; with {@code unicode}, sometimes beyond ASCII (two- and three-byte UTF-8). */
  static String randomText(Random r, boolean unicode) {
    String alphabet = unicode && r.nextBoolean() ? "abcXYZ019_-éß用户频道" : "abcdefghijklmnopqrstuvwxyz0123456789_-";
    StringBuilder sb = new StringBuilder();
    for (int n = 1 + r.nextInt(32); n > 0; n--) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /** ZEGO claims are encrypted: decrypt with the test secret; the others read in the clear. */
  static TokenClaims claims(String token) {
    if (token.startsWith("04")) {
      return dev.tokenauthority.core.zego04.Token04Verifier.builder()
          .serverSecret(Secret.of("fa94dd0f974cf2e293728a526b028271")).build().decrypt(token).claims();
    }
    return AnyToken.parse(token).claims().orElseThrow();
  }
}
