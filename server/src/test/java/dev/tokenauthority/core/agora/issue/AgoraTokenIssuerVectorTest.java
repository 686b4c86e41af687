package dev.tokenauthority.core.agora.issue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora.AgoraVectors;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcRole;
import dev.tokenauthority.core.agora.SignedToken;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The vendor vectors again, this time through {@link AgoraTokenIssuer}: every case whose inputs fit
 * the issuer's conventions must come out byte for byte.
 */
class AgoraTokenIssuerVectorTest {
  private final AgoraTokenIssuer issuer = new AgoraTokenIssuer(
      Clock.fixed(Instant.ofEpochSecond(1_500_000_000L), ZoneOffset.UTC), RandomGenerator.of("L64X128MixRandom"));

  @Test
  void reproducesEveryVectorThatFitsTheIssuerConventions() {
    List<String> covered = new ArrayList<>();
    List<JsonNode> all = new ArrayList<>(AgoraVectors.cases("agora-007"));
    all.addAll(AgoraVectors.cases("agora-006"));
    for (JsonNode c : all) {
      Optional<SignedToken<? extends TokenClaims>> issued = issue(c);
      if (issued.isEmpty()) {
        continue;
      }
      assertThat(issued.get().token()).as(c.get("kind") + " " + c.get("params")).isEqualTo(c.get("token").asText());
      // The times reported next to the token agree with the token itself.
      TokenClaims claims = issued.get().claims();
      assertThat(issued.get().issuedAt()).isEqualTo(claims.issuedAt());
      covered.add(c.get("format").asText() + "/" + c.get("kind").asText());
    }
    // Only the rtc+rtm+chat combination, 006 privilege times beyond 24 h and 006 RTM with
    // privilege 0 fall outside the conventions.
    assertThat(covered).hasSizeGreaterThanOrEqualTo(55);
    assertThat(covered).contains("agora-007/rtc", "agora-007/rtm", "agora-007/rtc+rtm", "agora-007/chat-user",
        "agora-007/chat-app", "agora-006/rtc", "agora-006/rtm");
  }

  private Optional<SignedToken<? extends TokenClaims>> issue(JsonNode c) {
    JsonNode p = c.get("params");
    AgoraCredentials app = new AgoraCredentials(c.get("app_id").asText(), Secret.of(c.get("app_certificate").asText()));
    String kind = c.get("kind").asText();
    boolean legacy = c.get("format").asText().equals("agora-006");
    long issued = legacy ? c.get("ts").asLong() - 86_400 : c.get("issue_ts").asLong();
    IssueOverrides fixed = IssueOverrides.of(issued, c.get("salt").asLong());

    if (legacy) {
      long pet = p.get("privilege_expired_ts").asLong();
      long lifetime = pet == 0 ? 0 : pet - issued;
      if (lifetime < 0 || lifetime > 86_400 || (kind.equals("rtm") && lifetime == 0)) {
        return Optional.empty();
      }
      if (kind.equals("rtm")) {
        return Optional.of(issuer.issueRtm(app,
            new RtmTokenRequest(p.get("user_account").asText(), lifetime, TokenFormat.AGORA_006, fixed)));
      }
      RtcTokenRequest.Builder r = RtcTokenRequest.builder().channelName(p.get("channel_name").asText())
          .uid(p.get("uid").asLong()).lifetimeSeconds(lifetime == 0 ? 86_400 : lifetime)
          .format(TokenFormat.AGORA_006).overrides(fixed);
      if (p.path("join_channel_only").asBoolean(false)) {
        r.privilegeLifetime(RtcPrivilege.JOIN_CHANNEL, lifetime);
      } else {
        r.role(RtcRole.valueOf(p.get("role").asText().toUpperCase())).privilegeLifetimeSeconds(lifetime);
      }
      return Optional.of(issuer.issueRtc(app, r.build()));
    }

    long expire = c.get("token_expire").asLong();
    switch (kind) {
      case "rtm":
        return Optional.of(issuer.issueRtm(app,
            new RtmTokenRequest(p.get("user_id").asText(), expire, TokenFormat.AGORA_007, fixed)));
      case "chat-user":
        return Optional.of(issuer.issueChat(app, ChatTokenRequest.user(p.get("user_uuid").asText(), expire)
            .withOverrides(fixed)));
      case "chat-app":
        return Optional.of(issuer.issueChat(app, ChatTokenRequest.app(expire).withOverrides(fixed)));
      case "rtc":
      case "rtc+rtm":
        RtcTokenRequest.Builder r = RtcTokenRequest.builder().channelName(p.get("channel_name").asText())
            .lifetimeSeconds(expire).includeRtm(kind.equals("rtc+rtm")).overrides(fixed);
        if (p.has("user_account")) {
          r.userAccount(p.get("user_account").asText());
        } else {
          r.uid(p.get("uid").asLong());
        }
        if (p.has("role")) {
          r.role(RtcRole.valueOf(p.get("role").asText().toUpperCase()));
          if (p.has("privilege_expire")) {
            r.privilegeLifetimeSeconds(p.get("privilege_expire").asLong());
          }
        } else if (p.has("join_channel_privilege_expire")) {
          r.privilegeLifetime(RtcPrivilege.JOIN_CHANNEL, p.get("join_channel_privilege_expire").asLong())
              .privilegeLifetime(RtcPrivilege.PUBLISH_AUDIO, p.get("pub_audio_privilege_expire").asLong())
              .privilegeLifetime(RtcPrivilege.PUBLISH_VIDEO, p.get("pub_video_privilege_expire").asLong())
              .privilegeLifetime(RtcPrivilege.PUBLISH_DATA_STREAM, p.get("pub_data_stream_privilege_expire").asLong());
        } else {
          r.privilegeLifetime(RtcPrivilege.JOIN_CHANNEL, expire);
        }
        return Optional.of(issuer.issueRtc(app, r.build()));
      default:
        return Optional.empty();
    }
  }
}
