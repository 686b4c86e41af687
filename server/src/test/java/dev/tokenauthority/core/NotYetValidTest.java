package dev.tokenauthority.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcUser;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora006.LegacyAccessTokenBuilder;
import dev.tokenauthority.core.agora006.LegacyAccessTokenVerifier;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Builder;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.agora007.RtcService;
import dev.tokenauthority.core.easemobdt.ClientCredential;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.easemobdt.DynamicTokenVerifier;
import dev.tokenauthority.core.zego04.Token04Verifier;
import dev.tokenauthority.core.zego04.ZegoToken04;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every format's verifier refuses a token issued more than the clock skew after its clock
 * (TOKEN_NOT_YET_VALID) and accepts one issued within it; the skew is the verifier's setting,
 * ClockSkew.DEFAULT (5 minutes) unless given. Expiry grace does not widen it.
 */
class NotYetValidTest {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final Secret AGORA_CERT = Secret.of("5CFd2fd1755d40ecb72977518be15d3b");
  static final String AGORA_APP = "970CA35de60c44645bbae8a215061b33";
  static final Secret ZEGO_SECRET = Secret.of("fa94dd0f974cf2e293728a526b028271");
  static final ClientCredential EASEMOB = new ClientCredential("YMAVZF5klQ9f8SyyLlbFeg", Secret.of("YXA6secret"));

  /** Issues a token at {@code issuedAt} and verifies it as of NOW with the given skew (null: the default). */
  interface Format {
    TokenClaims issueAndVerify(Instant issuedAt, Duration skew);
  }

  record Case(String name, Format format) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Clock now() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }

  static Stream<Case> formats() {
    return Stream.of(
        new Case("Agora 007", (at, skew) -> {
          AccessToken2 t = AccessToken2Builder.create(now(), new SecureRandom()).appId(AGORA_APP)
              .issueTs(at.getEpochSecond()).expire(3600)
              .addService(RtcService.of("c1", RtcUser.uid(42), Map.of(RtcPrivilege.JOIN_CHANNEL, 0L)))
              .sign(AGORA_CERT).claims();
          AccessToken2Verifier v = skew == null ? new AccessToken2Verifier(now()) : new AccessToken2Verifier(now(), skew);
          return v.verify(t, List.of(AGORA_CERT), Duration.ofHours(1)).claims();
        }),
        new Case("Agora 006", (at, skew) -> {
          LegacyAccessToken t = LegacyAccessTokenBuilder.create(now(), new SecureRandom()).appId(AGORA_APP)
              .ts(at.getEpochSecond() + LegacyAccessToken.TS_OFFSET_SECONDS).channelName("c1").uid("42")
              .privilege(1, 0).sign(AGORA_CERT).claims();
          LegacyAccessTokenVerifier v =
              skew == null ? new LegacyAccessTokenVerifier(now()) : new LegacyAccessTokenVerifier(now(), skew);
          return v.verify(t, "c1", "42", List.of(AGORA_CERT), Duration.ofHours(1)).claims();
        }),
        new Case("ZEGO Token04", (at, skew) -> {
          ZegoToken04 t = ZegoToken04.builder().appId(1234567).serverSecret(ZEGO_SECRET).userId("u1")
              .lifetimeSeconds(3600).issuedAt(at.getEpochSecond()).build();
          Token04Verifier.Builder v = Token04Verifier.builder().serverSecret(ZEGO_SECRET).clock(now());
          if (skew != null) {
            v.maxClockSkew(skew);
          }
          return v.build().verify(t.token(), Duration.ofHours(1)).claims();
        }),
        new Case("Easemob dt", (at, skew) -> {
          DynamicToken t = DynamicToken.builder().appKey("org#app").credential(EASEMOB).userId("u1")
              .ttlSeconds(3600).issuedAt(at.getEpochSecond()).build();
          DynamicTokenVerifier.Builder v =
              DynamicTokenVerifier.builder().credential(EASEMOB).expectedAppKey("org#app").clock(now());
          if (skew != null) {
            v.maxClockSkew(skew);
          }
          return v.build().verify(t.token(), Duration.ofHours(1)).claims();
        }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void issuedBeyondTheDefaultSkewIsNotYetValid(Case c) {
    assertThatThrownBy(() -> c.format.issueAndVerify(NOW.plus(ClockSkew.DEFAULT).plusSeconds(1), null))
        .isInstanceOfSatisfying(TokenVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo("TOKEN_NOT_YET_VALID"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void issuedWithinTheDefaultSkewIsValid(Case c) {
    Instant at = NOW.plus(ClockSkew.DEFAULT);
    assertThat(c.format.issueAndVerify(at, null).issuedAt()).isEqualTo(at);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void theSkewIsTheVerifiersSetting(Case c) {
    assertThat(c.format.issueAndVerify(NOW.plusSeconds(10), Duration.ofSeconds(10)).issuedAt())
        .isEqualTo(NOW.plusSeconds(10));
    assertThatThrownBy(() -> c.format.issueAndVerify(NOW.plusSeconds(11), Duration.ofSeconds(10)))
        .isInstanceOfSatisfying(TokenVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo("TOKEN_NOT_YET_VALID"));
    assertThatThrownBy(() -> c.format.issueAndVerify(NOW.plusSeconds(1), Duration.ZERO))
        .isInstanceOf(TokenVerificationException.class);
  }
}
