package dev.tokenauthority.server.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcUser;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora.issue.AgoraCredentials;
import dev.tokenauthority.core.agora.issue.AgoraTokenIssuer;
import dev.tokenauthority.core.agora.issue.ChatTokenRequest;
import dev.tokenauthority.core.agora.issue.IssueOverrides;
import dev.tokenauthority.core.agora.issue.RtcTokenRequest;
import dev.tokenauthority.core.agora.issue.RtmTokenRequest;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.testing.LogCapture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The server mints Agora tokens through the core's AgoraTokenIssuer: with the same random source
 * both produce the same bytes; the only difference is the documented "006" privilege lifetime of 0.
 */
class CoreTokenEngineAgoraTest {
  private static final String APP_ID = "970ca35de60c44645bbae8a215061b33";
  private static final String CERT = "5cfd2fd1755d40ecb72977518be15d3b";
  private static final AgoraApp APP = new AgoraApp("rtc", APP_ID, List.of(new Secret("primary", CERT)),
      Optional.empty(), Optional.empty());
  private static final AgoraCredentials CREDS = new AgoraCredentials(APP_ID, new Secret("primary", CERT));
  private static final long NOW = 1_700_000_000L;

  static {
    LogCapture.registerSecret(CERT);
  }
  private static final long LIFE = 600;

  private static AgoraTokenIssuer seeded() {
    return new AgoraTokenIssuer(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), new SplittableRandom(42));
  }

  private static String mint(Grant grant) {
    return new CoreTokenEngine(seeded()).mint(APP, grant, Instant.ofEpochSecond(NOW), Duration.ofSeconds(LIFE)).token();
  }

  @Test
  void rtc007IsTheIssuersToken() {
    String server = mint(new RtcGrant("room", "42", false, Map.of(1, 0L, 2, 300L), Optional.of("alice"),
        TokenFormat.AGORA_007));
    String core = seeded().issueRtc(CREDS, RtcTokenRequest.builder().channelName("room").uid(42)
        .privilegeLifetime(RtcPrivilege.JOIN_CHANNEL, 0).privilegeLifetime(RtcPrivilege.PUBLISH_AUDIO, 300)
        .lifetimeSeconds(LIFE).includeRtm(true).rtmUserId("alice").overrides(IssueOverrides.at(NOW)).build()).token();
    assertThat(server).isEqualTo(core);
    // 007: a privilege lifetime of 0 stays 0 (the token expiry bounds it).
    assertThat(AccessToken2.parse(server).rtc().orElseThrow().privileges()).containsEntry(1, 0L);
  }

  @Test
  void rtmAndChatAreTheIssuersTokens() {
    assertThat(mint(new RtmGrant("bob", TokenFormat.AGORA_007))).isEqualTo(seeded().issueRtm(CREDS,
        new RtmTokenRequest("bob", LIFE, TokenFormat.AGORA_007, IssueOverrides.at(NOW))).token());
    assertThat(mint(new RtmGrant("bob", TokenFormat.AGORA_006))).isEqualTo(seeded().issueRtm(CREDS,
        new RtmTokenRequest("bob", LIFE, TokenFormat.AGORA_006, IssueOverrides.at(NOW))).token());
    assertThat(mint(new ChatUserGrant("u-1"))).isEqualTo(seeded().issueChat(CREDS,
        ChatTokenRequest.user("u-1", LIFE).withOverrides(IssueOverrides.at(NOW))).token());
    assertThat(mint(new ChatAppGrant())).isEqualTo(seeded().issueChat(CREDS,
        ChatTokenRequest.app(LIFE).withOverrides(IssueOverrides.at(NOW))).token());
  }

  @Test
  void rtc006PacksAPrivilegeLifetimeOfZeroAsTheTokenLifetime() {
    String server = mint(new RtcGrant("room", "", false, Map.of(1, 0L, 2, 120L), Optional.empty(),
        TokenFormat.AGORA_006));
    assertThat(LegacyAccessToken.parse(server).privilegeMap())
        .containsExactlyInAnyOrderEntriesOf(Map.of(1, NOW + LIFE, 2, NOW + 120));

    // The vendor convention, kept by the core and the CLI: 0 is packed as 0 ("no own limit").
    String core = seeded().issueRtc(CREDS, RtcTokenRequest.builder().channelName("room").user(RtcUser.uid(0))
        .privilegeLifetime(RtcPrivilege.JOIN_CHANNEL, 0).privilegeLifetime(RtcPrivilege.PUBLISH_AUDIO, 120)
        .lifetimeSeconds(LIFE).format(TokenFormat.AGORA_006).overrides(IssueOverrides.at(NOW)).build()).token();
    assertThat(LegacyAccessToken.parse(core).privilegeMap())
        .containsExactlyInAnyOrderEntriesOf(Map.of(1, 0L, 2, NOW + 120));

    // Apart from that one value the two paths agree byte for byte.
    String coreWithLifetime = seeded().issueRtc(CREDS, RtcTokenRequest.builder().channelName("room")
        .user(RtcUser.uid(0)).privilegeLifetime(RtcPrivilege.JOIN_CHANNEL, LIFE)
        .privilegeLifetime(RtcPrivilege.PUBLISH_AUDIO, 120).lifetimeSeconds(LIFE).format(TokenFormat.AGORA_006)
        .overrides(IssueOverrides.at(NOW)).build()).token();
    assertThat(server).isEqualTo(coreWithLifetime);
  }
}
