package dev.tokenauthority.core.agora.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenauthority.core.InvalidTokenInputException;
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
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The vendor vectors again, this time through {@link AgoraTokenIssuer}: every case must come out
 * byte for byte, including the "006" vendor default (lifetime 0) and the vendor builder's absolute
 * privilege times beyond 24 h ({@link IssueOverrides#withPrivilegeExpiredTs}).
 */
class AgoraTokenIssuerVectorTest {
  private final AgoraTokenIssuer issuer = new AgoraTokenIssuer(
      Clock.fixed(Instant.ofEpochSecond(1_500_000_000L), ZoneOffset.UTC), RandomGenerator.of("L64X128MixRandom"));

  @Test
  void reproducesEveryVector() {
    List<String> covered = new ArrayList<>();
    List<JsonNode> all = new ArrayList<>(AgoraVectors.cases("agora-007"));
    all.addAll(AgoraVectors.cases("agora-006"));
    for (JsonNode c : all) {
      SignedToken<? extends TokenClaims> issued = issue(c);
      assertThat(issued.token()).as(c.get("kind") + " " + c.get("params")).isEqualTo(c.get("token").asText());
      // The times reported next to the token agree with the token itself.
      assertThat(issued.issuedAt()).isEqualTo(issued.claims().issuedAt());
      covered.add(c.get("format").asText() + "/" + c.get("kind").asText());
    }
    assertThat(covered).hasSize(61).contains("agora-007/rtc", "agora-007/rtm", "agora-007/rtc+rtm",
        "agora-007/chat-user", "agora-007/chat-app", "agora-007/rtc+rtm+chat-user", "agora-006/rtc", "agora-006/rtm");
  }

  /** Seeds 001/002: privilegeExpiredTs 0 is the vendor's default; a "006" lifetime of 0 asks for it. */
  @Test
  void the006VendorDefaultIsLifetimeZeroValidForTheVendors24Hours() {
    List<JsonNode> zero = AgoraVectors.cases("agora-006").stream()
        .filter(c -> c.get("params").get("privilege_expired_ts").asLong() == 0).toList();
    assertThat(zero).extracting(c -> c.get("kind").asText()).contains("rtc", "rtm").hasSizeGreaterThanOrEqualTo(4);
    for (JsonNode c : zero) {
      SignedToken<? extends TokenClaims> issued = issue(c);
      assertThat(issued.token()).isEqualTo(c.get("token").asText());
      long issuedAt = c.get("ts").asLong() - 86_400;
      assertThat(issued.claims().issuedAt().getEpochSecond()).isEqualTo(issuedAt);
      assertThat(issued.claims().expiresAt().getEpochSecond()).isEqualTo(issuedAt + 86_400);
      assertThat(issued.claims().privileges()).isNotEmpty().allSatisfy(p -> assertThat(p.expiresAt()).isEmpty());
    }
  }

  @Test
  void lifetimeZeroIsStillRefusedFor007() {
    assertThatThrownBy(() -> RtmTokenRequest.of("u", 0)).isInstanceOf(InvalidTokenInputException.class)
        .extracting(e -> ((InvalidTokenInputException) e).reason()).isEqualTo("LIFETIME_NOT_POSITIVE");
    assertThatThrownBy(() -> RtcTokenRequest.builder().channelName("c").uid(1).role(RtcRole.PUBLISHER)
        .lifetimeSeconds(0).build()).isInstanceOf(InvalidTokenInputException.class);
  }

  private SignedToken<? extends TokenClaims> issue(JsonNode c) {
    JsonNode p = c.get("params");
    AgoraCredentials app = new AgoraCredentials(c.get("app_id").asText(), Secret.of(c.get("app_certificate").asText()));
    String kind = c.get("kind").asText();
    boolean legacy = c.get("format").asText().equals("agora-006");
    long issued = legacy ? c.get("ts").asLong() - 86_400 : c.get("issue_ts").asLong();
    IssueOverrides fixed = IssueOverrides.of(issued, c.get("salt").asLong());

    if (legacy) {
      long pet = p.get("privilege_expired_ts").asLong();
      // 0 is the vendor default (lifetime 0); beyond 24 h only the builder's absolute value says it.
      long lifetime = pet == 0 ? 0 : pet - issued;
      if (lifetime < 0 || lifetime > 86_400) {
        fixed = fixed.withPrivilegeExpiredTs(pet);
        lifetime = 86_400;
      }
      if (kind.equals("rtm")) {
        return issuer.issueRtm(app,
            new RtmTokenRequest(p.get("user_account").asText(), lifetime, TokenFormat.AGORA_006, fixed));
      }
      RtcTokenRequest.Builder r = RtcTokenRequest.builder().channelName(p.get("channel_name").asText())
          .uid(p.get("uid").asLong()).lifetimeSeconds(lifetime)
          .format(TokenFormat.AGORA_006).overrides(fixed);
      if (p.path("join_channel_only").asBoolean(false)) {
        r.privilegeLifetime(RtcPrivilege.JOIN_CHANNEL, lifetime);
      } else {
        r.role(RtcRole.valueOf(p.get("role").asText().toUpperCase()));
      }
      return issuer.issueRtc(app, r.build());
    }

    long expire = c.get("token_expire").asLong();
    switch (kind) {
      case "rtm":
        return issuer.issueRtm(app,
            new RtmTokenRequest(p.get("user_id").asText(), expire, TokenFormat.AGORA_007, fixed));
      case "chat-user":
        return issuer.issueChat(app, ChatTokenRequest.user(p.get("user_uuid").asText(), expire)
            .withOverrides(fixed));
      case "chat-app":
        return issuer.issueChat(app, ChatTokenRequest.app(expire).withOverrides(fixed));
      case "rtc":
      case "rtc+rtm":
      case "rtc+rtm+chat-user":
        RtcTokenRequest.Builder r = RtcTokenRequest.builder().channelName(p.get("channel_name").asText())
            .lifetimeSeconds(expire).includeRtm(kind.startsWith("rtc+rtm")).overrides(fixed);
        if (p.has("rtm_user_id")) {
          r.rtmUserId(p.get("rtm_user_id").asText());
        }
        if (p.has("chat_user_uuid")) {
          r.chatUserUuid(p.get("chat_user_uuid").asText());
        }
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
        return issuer.issueRtc(app, r.build());
      default:
        throw new AssertionError("a vector kind the test does not know: " + kind);
    }
  }
}
