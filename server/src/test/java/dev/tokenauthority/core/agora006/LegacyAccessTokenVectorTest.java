package dev.tokenauthority.core.agora006;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.agora.AgoraVectors;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcRole;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every "006" case of the vendor vectors (agora.json): build byte for byte, parse, verify. */
class LegacyAccessTokenVectorTest {
  static Stream<Named<JsonNode>> cases() {
    List<JsonNode> cases = AgoraVectors.cases("agora-006");
    assertThat(cases).hasSizeGreaterThanOrEqualTo(10);
    return IntStream.range(0, cases.size())
        .mapToObj(i -> Named.of(AgoraVectors.name(cases.get(i), i), cases.get(i)));
  }

  /** RTC: (channel, uid text); RTM: (account, ""). */
  static String[] binding(JsonNode c) {
    JsonNode p = c.get("params");
    if (c.get("kind").asText().equals("rtm")) {
      return new String[] {p.get("user_account").asText(), ""};
    }
    long uid = p.get("uid").asLong();
    return new String[] {p.get("channel_name").asText(), uid == 0 ? "" : Long.toString(uid)};
  }

  @ParameterizedTest
  @MethodSource("cases")
  void buildsTheVendorTokenByteForByte(JsonNode c) {
    JsonNode p = c.get("params");
    String[] b = binding(c);
    long expiredTs = p.get("privilege_expired_ts").asLong();
    LegacyAccessTokenBuilder builder =
        LegacyAccessTokenBuilder.create(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), RandomGenerator.of("L64X128MixRandom"))
            .appId(c.get("app_id").asText())
            .channelName(b[0])
            .uid(b[1])
            .salt(c.get("salt").asLong())
            .ts(c.get("ts").asLong());
    if (c.get("kind").asText().equals("rtm")) {
      builder.privilege(LegacyPrivilege.RTM_LOGIN, expiredTs);
    } else if (p.path("join_channel_only").asBoolean(false)) {
      builder.privilege(RtcPrivilege.JOIN_CHANNEL.code(), expiredTs);
    } else {
      for (RtcPrivilege priv : RtcRole.valueOf(p.get("role").asText().toUpperCase()).privileges()) {
        builder.privilege(priv.code(), expiredTs);
      }
    }
    assertThat(builder.sign(Secret.of(c.get("app_certificate").asText())).token())
        .isEqualTo(c.get("token").asText());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void parsesEveryWireField(JsonNode c) {
    LegacyAccessToken t = LegacyAccessToken.parse(c.get("token").asText());
    JsonNode wire = c.get("wire");
    assertThat(t.appId()).isEqualTo(wire.get("app_id").asText());
    assertThat(t.crcChannelName()).isEqualTo(wire.get("crc_channel_name").asLong());
    assertThat(t.crcUid()).isEqualTo(wire.get("crc_uid").asLong());
    assertThat(t.salt()).isEqualTo(wire.get("salt").asLong());
    assertThat(t.ts()).isEqualTo(wire.get("ts").asLong());
    SortedMap<Integer, Long> expected = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = wire.get("privileges").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      expected.put(Integer.parseInt(e.getKey()), e.getValue().asLong());
    }
    assertThat(t.privilegeMap()).isEqualTo(expected);
    // The CRCs are those of the vector's own channel and uid text (computed independently here).
    String[] b = binding(c);
    assertThat(t.crcChannelName()).isEqualTo(crc(b[0]));
    assertThat(t.crcUid()).isEqualTo(crc(b[1]));
    assertThat(t.expiresAt()).isEqualTo(Instant.ofEpochSecond(t.ts()));
    assertThat(t.issuedAt()).isEqualTo(Instant.ofEpochSecond(t.ts() - 86_400));
    assertThat(t.subject()).isEmpty();
    assertThat(t.channel()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void verifiesWithTheRightCertificateAndBindingOnly(JsonNode c) {
    LegacyAccessToken t = LegacyAccessToken.parse(c.get("token").asText());
    String[] b = binding(c);
    Secret right = new Secret("secondary", c.get("app_certificate").asText());
    Secret wrong = new Secret("primary", "0123456789abcdef0123456789ABCDEF");
    LegacyAccessTokenVerifier atIssue = new LegacyAccessTokenVerifier(at(t.ts() - 86_400));

    VerifiedToken<LegacyAccessToken> v = atIssue.verify(t, b[0], b[1], List.of(wrong, right));
    assertThat(v.matchedCredential()).isEqualTo("secondary");
    boolean rtm = c.get("kind").asText().equals("rtm");
    assertThat(v.claims().subject()).isEqualTo(rtm ? b[0] : b[1]);
    assertThat(v.claims().channel()).isEqualTo(rtm ? java.util.Optional.empty() : java.util.Optional.of(b[0]));

    assertThatThrownBy(() -> atIssue.verify(t, b[0], b[1], List.of(wrong)))
        .extracting("reason").isEqualTo(TokenVerificationException.SIGNATURE_MISMATCH);
    assertThatThrownBy(() -> atIssue.verify(t, b[0] + "x", b[1], List.of(right)))
        .extracting("reason").isEqualTo(LegacyAccessTokenVerifier.BINDING_MISMATCH);
    assertThatThrownBy(() -> atIssue.verify(t, b[0], b[1] + "1", List.of(right)))
        .extracting("reason").isEqualTo(LegacyAccessTokenVerifier.BINDING_MISMATCH);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void rejectsAfterExpiry(JsonNode c) {
    LegacyAccessToken t = LegacyAccessToken.parse(c.get("token").asText());
    String[] b = binding(c);
    List<Secret> certs = List.of(Secret.of(c.get("app_certificate").asText()));
    long earliest = t.earliestExpiry().getEpochSecond();
    long issued = t.ts() - 86_400;
    if (earliest > issued) {
      new LegacyAccessTokenVerifier(at(earliest - 1)).verify(t, b[0], b[1], certs);
    }
    assertThatThrownBy(() -> new LegacyAccessTokenVerifier(at(earliest)).verify(t, b[0], b[1], certs))
        .isInstanceOf(TokenVerificationException.class)
        .extracting("reason")
        .isIn(TokenVerificationException.TOKEN_EXPIRED, TokenVerificationException.PRIVILEGE_EXPIRED);
    assertThatThrownBy(() -> new LegacyAccessTokenVerifier(at(t.ts())).verify(t, b[0], b[1], certs))
        .isInstanceOf(TokenVerificationException.class);
  }

  private static long crc(String s) {
    CRC32 crc = new CRC32();
    crc.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return crc.getValue();
  }

  private static Clock at(long epochSeconds) {
    return Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
  }
}
