package dev.tokenauthority.core.agora007;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.agora.AgoraVectors;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcRole;
import dev.tokenauthority.core.agora.RtcUser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every "007" case of the vendor vectors (agora.json): build byte for byte, parse every wire field, verify. */
class AccessToken2VectorTest {
  private static final String WRONG_CERT = "0123456789abcdef0123456789ABCDEF";

  static Stream<Named<JsonNode>> cases() {
    List<JsonNode> cases = AgoraVectors.cases("agora-007");
    assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
    return IntStream.range(0, cases.size())
        .mapToObj(i -> Named.of(AgoraVectors.name(cases.get(i), i), cases.get(i)));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void buildsTheVendorTokenByteForByte(JsonNode c) {
    // Clock and random would give other values: the fixed issue_ts and salt must win.
    AccessToken2Builder builder =
        AccessToken2Builder.create(fixedClock(12345), RandomGenerator.of("L64X128MixRandom"))
            .appId(c.get("app_id").asText())
            .issueTs(c.get("issue_ts").asLong())
            .salt(c.get("salt").asLong())
            .expire(c.get("token_expire").asLong());
    for (Service s : servicesFromParams(c)) {
      builder.addService(s);
    }
    String token = builder.sign(Secret.of(c.get("app_certificate").asText())).token();
    assertThat(token).isEqualTo(c.get("token").asText());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void parsesEveryWireField(JsonNode c) {
    AccessToken2 t = AccessToken2.parse(c.get("token").asText());
    JsonNode wire = c.get("wire");
    assertThat(t.appId()).isEqualTo(wire.get("app_id").asText());
    assertThat(t.issueTs()).isEqualTo(wire.get("issue_ts").asLong());
    assertThat(t.expire()).isEqualTo(wire.get("expire").asLong());
    assertThat(t.salt()).isEqualTo(wire.get("salt").asLong());
    JsonNode services = wire.get("services");
    assertThat(t.services()).hasSize(services.size());
    for (int i = 0; i < services.size(); i++) {
      JsonNode ws = services.get(i);
      Service s = t.services().get(i);
      assertThat(s.type()).isEqualTo(ws.get("type").asInt());
      assertThat(s.privileges()).isEqualTo(privilegeMap(ws.get("privileges")));
      if (s instanceof RtcService rtc) {
        assertThat(rtc.channelName()).isEqualTo(ws.get("channel_name").asText());
        assertThat(rtc.uid()).isEqualTo(ws.get("uid").asText());
      } else if (s instanceof RtmService rtm) {
        assertThat(rtm.userId()).isEqualTo(ws.get("user_id").asText());
      } else if (s instanceof ChatService chat) {
        assertThat(chat.userId()).isEqualTo(ws.get("user_id").asText());
      } else {
        throw new AssertionError("vectors carry only RTC, RTM and chat: " + s);
      }
    }
    // The format-neutral view agrees with the wire.
    assertThat(t.issuedAt()).isEqualTo(Instant.ofEpochSecond(wire.get("issue_ts").asLong()));
    assertThat(t.expiresAt())
        .isEqualTo(Instant.ofEpochSecond(wire.get("issue_ts").asLong() + wire.get("expire").asLong()));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void verifiesWithTheRightCertificateOnly(JsonNode c) {
    AccessToken2 t = AccessToken2.parse(c.get("token").asText());
    long issueTs = c.get("issue_ts").asLong();
    Secret right = new Secret("secondary", c.get("app_certificate").asText());
    Secret wrong = new Secret("primary", WRONG_CERT);

    AccessToken2Verifier atIssue = new AccessToken2Verifier(fixedClock(issueTs));
    VerifiedToken<AccessToken2> v = atIssue.verify(t, List.of(wrong, right));
    assertThat(v.matchedCredential()).isEqualTo("secondary");
    assertThat(v.claims()).isSameAs(t);

    assertThatThrownBy(() -> atIssue.verify(t, List.of(wrong)))
        .isInstanceOf(TokenVerificationException.class)
        .extracting("reason").isEqualTo(TokenVerificationException.SIGNATURE_MISMATCH);
    // The certificate is case-sensitive text, not hex bytes.
    Secret swappedCase = Secret.of(swapCase(c.get("app_certificate").asText()));
    assertThatThrownBy(() -> atIssue.verify(t, List.of(swappedCase)))
        .extracting("reason").isEqualTo(TokenVerificationException.SIGNATURE_MISMATCH);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void rejectsAfterExpiry(JsonNode c) {
    AccessToken2 t = AccessToken2.parse(c.get("token").asText());
    List<Secret> certs = List.of(Secret.of(c.get("app_certificate").asText()));
    long expiry = c.get("issue_ts").asLong() + c.get("token_expire").asLong();
    long earliest = t.earliestExpiry().getEpochSecond();

    new AccessToken2Verifier(fixedClock(earliest - 1)).verify(t, certs);
    assertThatThrownBy(() -> new AccessToken2Verifier(fixedClock(expiry)).verify(t, certs))
        .extracting("reason").isEqualTo(TokenVerificationException.TOKEN_EXPIRED);
    if (earliest < expiry) {
      assertThatThrownBy(() -> new AccessToken2Verifier(fixedClock(earliest)).verify(t, certs))
          .extracting("reason").isEqualTo(TokenVerificationException.PRIVILEGE_EXPIRED);
    }
    // Within a grace period it still passes, just past it it does not.
    new AccessToken2Verifier(fixedClock(earliest + 59)).verify(t, certs, java.time.Duration.ofSeconds(60));
    assertThatThrownBy(
            () -> new AccessToken2Verifier(fixedClock(earliest + 60))
                .verify(t, certs, java.time.Duration.ofSeconds(60)))
        .isInstanceOf(TokenVerificationException.class);
  }

  /** Builder-level inputs of a vector case, mapped onto services the way the vendor builders do. */
  static List<Service> servicesFromParams(JsonNode c) {
    JsonNode p = c.get("params");
    long tokenExpire = c.get("token_expire").asLong();
    String kind = c.get("kind").asText();
    List<Service> out = new ArrayList<>();
    if (kind.startsWith("rtc")) {
      RtcUser user = p.has("user_account")
          ? RtcUser.account(p.get("user_account").asText())
          : RtcUser.uid(p.get("uid").asLong());
      Map<RtcPrivilege, Long> lifetimes = new EnumMap<>(RtcPrivilege.class);
      if (p.has("role")) {
        RtcRole role = RtcRole.valueOf(p.get("role").asText().toUpperCase());
        long privilegeExpire = p.has("privilege_expire") ? p.get("privilege_expire").asLong() : tokenExpire;
        role.privileges().forEach(priv -> lifetimes.put(priv, privilegeExpire));
      } else if (p.has("join_channel_privilege_expire")) {
        lifetimes.put(RtcPrivilege.JOIN_CHANNEL, p.get("join_channel_privilege_expire").asLong());
        lifetimes.put(RtcPrivilege.PUBLISH_AUDIO, p.get("pub_audio_privilege_expire").asLong());
        lifetimes.put(RtcPrivilege.PUBLISH_VIDEO, p.get("pub_video_privilege_expire").asLong());
        lifetimes.put(RtcPrivilege.PUBLISH_DATA_STREAM, p.get("pub_data_stream_privilege_expire").asLong());
      } else {
        lifetimes.put(RtcPrivilege.JOIN_CHANNEL, tokenExpire); // "join-channel privilege only"
      }
      out.add(RtcService.of(p.get("channel_name").asText(), user, lifetimes));
      if (kind.contains("rtm")) {
        String rtmUser = p.has("rtm_user_id") ? p.get("rtm_user_id").asText() : p.get("user_account").asText();
        out.add(RtmService.login("rtm_user_id", rtmUser, 255, tokenExpire));
      }
      if (kind.contains("chat-user")) {
        out.add(ChatService.user(p.get("chat_user_uuid").asText(), tokenExpire));
      }
    } else if (kind.equals("rtm")) {
      out.add(RtmService.login(p.get("user_id").asText(), tokenExpire));
    } else if (kind.equals("chat-user")) {
      out.add(ChatService.user(p.get("user_uuid").asText(), tokenExpire));
    } else if (kind.equals("chat-app")) {
      out.add(ChatService.app(tokenExpire));
    } else {
      throw new AssertionError("unknown kind " + kind);
    }
    return out;
  }

  static SortedMap<Integer, Long> privilegeMap(JsonNode node) {
    SortedMap<Integer, Long> m = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(Integer.parseInt(e.getKey()), e.getValue().asLong());
    }
    return m;
  }

  static Clock fixedClock(long epochSeconds) {
    return Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
  }

  private static String swapCase(String s) {
    StringBuilder b = new StringBuilder();
    for (char ch : s.toCharArray()) {
      b.append(Character.isUpperCase(ch) ? Character.toLowerCase(ch) : Character.toUpperCase(ch));
    }
    return b.toString();
  }
}
