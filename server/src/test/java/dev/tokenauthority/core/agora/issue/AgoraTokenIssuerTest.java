package dev.tokenauthority.core.agora.issue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.core.Privilege;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcRole;
import dev.tokenauthority.core.agora.SignedToken;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.RtmService;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class AgoraTokenIssuerTest {
  private static final long NOW = 1_700_000_000L;
  private static final String CERT_VALUE = "5CFd2fd1755d40ecb72977518be15d3b";
  private static final AgoraCredentials APP =
      new AgoraCredentials("970CA35de60c44645bbae8a215061b33", Secret.of(CERT_VALUE));

  private static AgoraTokenIssuer issuer(long seed) {
    return new AgoraTokenIssuer(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC), new Random(seed));
  }

  private static RtcTokenRequest.Builder rtc() {
    return RtcTokenRequest.builder().channelName("room").uid(42).role(RtcRole.PUBLISHER).lifetimeSeconds(600);
  }

  @Test
  void issueTimeComesFromTheClockAndSaltFromTheRandomSource() {
    SignedToken<TokenClaims> a = issuer(1).issueRtc(APP, rtc().build());
    SignedToken<TokenClaims> b = issuer(1).issueRtc(APP, rtc().build());
    SignedToken<TokenClaims> c = issuer(2).issueRtc(APP, rtc().build());
    assertThat(a.issuedAt()).isEqualTo(Instant.ofEpochSecond(NOW));
    assertThat(a.expiresAt()).isEqualTo(Instant.ofEpochSecond(NOW + 600));
    assertThat(a.token()).isEqualTo(b.token());
    assertThat(((AccessToken2) c.claims()).salt()).isNotEqualTo(((AccessToken2) a.claims()).salt());
    assertThat(((AccessToken2) a.claims()).salt()).isBetween(1L, 99_999_999L);
  }

  @Test
  void rolePrivilegesDefaultToTheTokenLifetimeAndZeroIsStillPacked() {
    AccessToken2 t = AccessToken2.parse(issuer(1).issueRtc(APP, rtc().build()).token());
    assertThat(t.rtc().orElseThrow().privileges()).containsOnlyKeys(1, 2, 3, 4).containsValue(600L);

    AccessToken2 zero = AccessToken2.parse(issuer(1).issueRtc(APP,
        rtc().role(RtcRole.SUBSCRIBER).privilegeLifetimeSeconds(0).build()).token());
    assertThat(zero.rtc().orElseThrow().privileges()).containsExactly(java.util.Map.entry(1, 0L));
    assertThat(zero.privileges()).containsExactly(new Privilege("rtc", "join_channel", 1, Optional.empty()));
    assertThat(zero.earliestExpiry()).isEqualTo(Instant.ofEpochSecond(NOW + 600));
  }

  @Test
  void explicitPrivilegesAreEachPackedWithTheirOwnLifetime() {
    SignedToken<TokenClaims> t = issuer(1).issueRtc(APP, rtc().role(null)
        .privilegeLifetime(RtcPrivilege.JOIN_CHANNEL, 0)
        .privilegeLifetime(RtcPrivilege.PUBLISH_AUDIO, 60).build());
    assertThat(t.claims().privileges()).containsExactly(
        new Privilege("rtc", "join_channel", 1, Optional.empty()),
        new Privilege("rtc", "publish_audio", 2, Optional.of(Instant.ofEpochSecond(NOW + 60))));
    assertThat(t.earliestExpiry()).isEqualTo(Instant.ofEpochSecond(NOW + 60));
  }

  @Test
  void rtmInTheRtcTokenDefaultsToTheUidTextAndExpiresWithTheToken() {
    AccessToken2 t = AccessToken2.parse(issuer(1).issueRtc(APP,
        rtc().privilegeLifetimeSeconds(60).includeRtm(true).build()).token());
    RtmService rtm = t.rtm().orElseThrow();
    assertThat(rtm.userId()).isEqualTo("42");
    assertThat(rtm.privileges()).containsExactly(java.util.Map.entry(1, 600L));
    assertThat(t.services()).extracting(s -> s.type()).containsExactly(1, 2);
    assertThat(t.subject()).isEqualTo("42");
    assertThat(t.channel()).contains("room");

    AccessToken2 named = AccessToken2.parse(issuer(1).issueRtc(APP,
        rtc().includeRtm(true).rtmUserId("carol").build()).token());
    assertThat(named.rtm().orElseThrow().userId()).isEqualTo("carol");
  }

  @Test
  void legacyRtcUsesAbsoluteTimesTsPlusADayAndZeroForNoLimit() {
    SignedToken<TokenClaims> t = issuer(1).issueRtc(APP, rtc().format(TokenFormat.AGORA_006)
        .role(null).privilegeLifetime(RtcPrivilege.JOIN_CHANNEL, 300).privilegeLifetime(RtcPrivilege.PUBLISH_AUDIO, 0)
        .build());
    assertThat(t.format()).isEqualTo(TokenFormat.AGORA_006);
    assertThat(t.token()).startsWith("006" + APP.appId());
    LegacyAccessToken parsed = LegacyAccessToken.parse(t.token());
    assertThat(parsed.ts()).isEqualTo(NOW + 86_400);
    assertThat(parsed.privilegeMap()).containsEntry(1, NOW + 300).containsEntry(2, 0L).hasSize(2);
    assertThat(parsed.crcChannelName()).isEqualTo(crc("room"));
    assertThat(parsed.crcUid()).isEqualTo(crc("42"));
    // Issued-at and expiry as reported for 006: ts - 1 day and ts.
    assertThat(t.issuedAt()).isEqualTo(Instant.ofEpochSecond(NOW));
    assertThat(t.expiresAt()).isEqualTo(Instant.ofEpochSecond(NOW + 86_400));
    assertThat(t.earliestExpiry()).isEqualTo(Instant.ofEpochSecond(NOW + 300));
  }

  @Test
  void legacyRtmPutsTheAccountWhereTheChannelGoes() {
    SignedToken<TokenClaims> t =
        issuer(1).issueRtm(APP, new RtmTokenRequest("bob", 600, TokenFormat.AGORA_006, IssueOverrides.NONE));
    LegacyAccessToken parsed = LegacyAccessToken.parse(t.token());
    assertThat(parsed.crcChannelName()).isEqualTo(crc("bob"));
    assertThat(parsed.crcUid()).isZero();
    assertThat(parsed.privilegeMap()).containsExactly(java.util.Map.entry(1000, NOW + 600));
    assertThat(t.claims().subject()).isEqualTo("bob");
    assertThat(t.claims().privileges()).extracting(Privilege::service, Privilege::name)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("rtm", "login"));
  }

  @Test
  void chatUserAndAppTokens() {
    AccessToken2 user = issuer(1).issueChat(APP, ChatTokenRequest.user("a1b2-c3", 900)).claims();
    assertThat(user.subject()).isEqualTo("a1b2-c3");
    assertThat(user.privileges()).containsExactly(
        new Privilege("chat", "user", 1, Optional.of(Instant.ofEpochSecond(NOW + 900))));
    AccessToken2 app = issuer(1).issueChat(APP, ChatTokenRequest.app(900)).claims();
    assertThat(app.subject()).isEmpty();
    assertThat(app.privileges()).extracting(Privilege::name).containsExactly("app");
  }

  @Test
  void rtmAndChatPrivilegesCanKeepALifetimeOfTheirOwn() {
    java.util.OptionalLong sixty = java.util.OptionalLong.of(60);
    AccessToken2 rtm = AccessToken2.parse(issuer(1).issueRtm(APP,
        new RtmTokenRequest("bob", 600, TokenFormat.AGORA_007, IssueOverrides.NONE, sixty)).token());
    assertThat(rtm.expire()).isEqualTo(600);
    assertThat(rtm.rtm().orElseThrow().privileges()).containsExactly(java.util.Map.entry(1, 60L));

    AccessToken2 rtcRtm = AccessToken2.parse(issuer(1).issueRtc(APP,
        rtc().includeRtm(true).rtmLoginLifetimeSeconds(sixty).build()).token());
    assertThat(rtcRtm.rtm().orElseThrow().privileges()).containsExactly(java.util.Map.entry(1, 60L));

    AccessToken2 chat = issuer(1).issueChat(APP, ChatTokenRequest.user("a1b2-c3", 900).withPrivilegeLifetime(sixty))
        .claims();
    assertThat(chat.chat().orElseThrow().privileges()).containsExactly(java.util.Map.entry(1, 60L));

    LegacyAccessToken legacy = LegacyAccessToken.parse(issuer(1).issueRtm(APP,
        new RtmTokenRequest("bob", 600, TokenFormat.AGORA_006, IssueOverrides.NONE, sixty)).token());
    assertThat(legacy.privilegeMap()).containsExactly(java.util.Map.entry(1000, NOW + 60));
  }

  @Test
  void anRtmLoginLifetimeWithoutRtmIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> rtc().rtmLoginLifetimeSeconds(java.util.OptionalLong.of(60)).build())
        .isInstanceOfSatisfying(dev.tokenauthority.core.InvalidTokenInputException.class,
            e -> assertThat(e.reason()).isEqualTo("RTM_LOGIN_WITHOUT_RTM"));
  }

  @Test
  void neitherTokenNorCertificateShowUpInToString() {
    SignedToken<TokenClaims> t = issuer(1).issueRtc(APP, rtc().build());
    assertThat(t.toString()).doesNotContain(t.token()).doesNotContain(t.token().substring(3, 20))
        .doesNotContain(CERT_VALUE);
    assertThat(APP.toString()).doesNotContain(CERT_VALUE);
    assertThat(t.claims().toString()).doesNotContain(CERT_VALUE).doesNotContain(t.token().substring(3, 20));
  }

  private static long crc(String s) {
    CRC32 crc = new CRC32();
    crc.update(s.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
