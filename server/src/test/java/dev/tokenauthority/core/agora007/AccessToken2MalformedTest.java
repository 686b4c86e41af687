package dev.tokenauthority.core.agora007;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.agora.LittleEndianWriter;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.assertj.core.api.AbstractObjectAssert;
import org.junit.jupiter.api.Test;

class AccessToken2MalformedTest {
  private static AbstractObjectAssert<?, ?> reasonOf(String token) {
    return assertThatThrownBy(() -> AccessToken2.parse(token))
        .isInstanceOf(MalformedTokenException.class)
        .extracting("reason");
  }

  private static String valid() {
    return AccessToken2Builder.create().appId(Crafted.APP_ID).issueTs(1_000_000).salt(7).expire(600)
        .addService(RtmService.login("alice", 600))
        .sign(Secret.of("5CFd2fd1755d40ecb72977518be15d3b")).token();
  }

  @Test
  void wrongVersionAndEmpty() {
    reasonOf("006" + valid().substring(3)).isEqualTo("WRONG_VERSION");
    reasonOf("").isEqualTo("EMPTY_TOKEN");
    reasonOf(null).isEqualTo("EMPTY_TOKEN");
    reasonOf("007").isEqualTo("BAD_BASE64");
  }

  @Test
  void badAndNonCanonicalBase64() {
    String t = valid();
    reasonOf(t + "A").isEqualTo("BAD_BASE64");
    reasonOf(t.substring(0, t.length() - 1) + "*").isEqualTo("BAD_BASE64");
    reasonOf(t.replace('+', '-').replace('/', '_') + (t.contains("+") || t.contains("/") ? "" : "!")).isEqualTo("BAD_BASE64");
    // "AB==" and "AA==" both decode to one zero byte; only "AA==" is canonical.
    reasonOf("007AB==").isEqualTo("NON_CANONICAL_BASE64");
    reasonOf("007AAB=").isEqualTo("NON_CANONICAL_BASE64");
    reasonOf("007AA==").isIn("ZLIB_TRUNCATED", "BAD_ZLIB");
  }

  @Test
  void zlibBombFailsFastOnTheSizeBound() {
    byte[] huge = new byte[20 * 1024 * 1024]; // ~20 KiB compressed, 20 MiB inflated
    String bomb = "007" + Base64.getEncoder().encodeToString(Crafted.zlib(huge));
    assertThat(bomb.length()).isLessThan(AccessToken2.MAX_TOKEN_CHARS);
    reasonOf(bomb).isEqualTo("TOKEN_TOO_LARGE");
    // Just over the bound fails too, just under it is read (and then fails on structure only).
    reasonOf(Crafted.token007(new byte[Zlib.MAX_INFLATED + 1])).isEqualTo("TOKEN_TOO_LARGE");
    reasonOf(Crafted.token007(new byte[Zlib.MAX_INFLATED])).isNotEqualTo("TOKEN_TOO_LARGE");
  }

  @Test
  void overlongStringIsRejectedBeforeDecoding() {
    reasonOf("007" + "A".repeat(AccessToken2.MAX_TOKEN_CHARS)).isEqualTo("TOKEN_TOO_LARGE");
  }

  @Test
  void truncatedZlibAndTruncatedContent() {
    byte[] z = Crafted.zlib(Crafted.header(0).toByteArray());
    reasonOf("007" + Base64.getEncoder().encodeToString(Arrays.copyOf(z, z.length - 3))).isIn("ZLIB_TRUNCATED", "BAD_ZLIB");
    byte[] content = Crafted.header(1).u16(ServiceType.RTM).u16(1).u16(1).u32(600).string("alice").toByteArray();
    for (int cut = 0; cut < content.length; cut++) {
      reasonOf(Crafted.token007(Arrays.copyOf(content, cut))).isIn("TRUNCATED", "BAD_SIGNATURE_LENGTH");
    }
    assertThat(AccessToken2.parse(Crafted.token007(content)).rtm()).isPresent();
  }

  @Test
  void trailingBytesInsideAndAfterTheZlibStream() {
    byte[] content = Crafted.header(0).toByteArray();
    byte[] withExtra = Arrays.copyOf(content, content.length + 1);
    reasonOf(Crafted.token007(withExtra)).isEqualTo("TRAILING_BYTES");
    byte[] z = Crafted.zlib(content);
    byte[] zPlus = Arrays.copyOf(z, z.length + 2);
    reasonOf("007" + Base64.getEncoder().encodeToString(zPlus)).isEqualTo("TRAILING_BYTES");
  }

  @Test
  void signatureMustBe32Bytes() {
    byte[] content = new LittleEndianWriter(8).bytes(new byte[31]).string(Crafted.APP_ID).toByteArray();
    reasonOf(Crafted.token007(content)).isEqualTo("BAD_SIGNATURE_LENGTH");
  }

  @Test
  void unknownAndUnsupportedServices() {
    reasonOf(Crafted.token007(Crafted.header(1).u16(9).u16(0).toByteArray())).isEqualTo("UNKNOWN_SERVICE");
    reasonOf(Crafted.token007(Crafted.header(1).u16(0).u16(0).toByteArray())).isEqualTo("UNKNOWN_SERVICE");
    reasonOf(Crafted.token007(Crafted.header(1).u16(8).u16(0).string("u").toByteArray())).isEqualTo("UNSUPPORTED_SERVICE");
  }

  @Test
  void readsTheOtherServiceTypesPerTheSpecTable() {
    byte[] content = Crafted.header(4)
        .u16(3).u16(1).u16(2).u32(60).string("live").string("acc")
        .u16(4).u16(1).u16(1).u32(0)
        .u16(6).u16(2).u16(1).u32(10).u16(2).u32(20).string("cdn").string("viewer")
        .u16(7).u16(1).u16(3).u32(30).string("room-1").string("user-1").u16(0xFFFE)
        .toByteArray();
    AccessToken2 t = AccessToken2.parse(Crafted.token007(content));
    assertThat(t.services()).hasSize(4);
    assertThat(t.services().get(0)).isEqualTo(new StreamingService(Map.of(2, 60L).entrySet().stream()
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new)),
        "live", "acc"));
    assertThat(t.services().get(1)).isInstanceOf(FpaService.class);
    FcdnService fcdn = (FcdnService) t.services().get(2);
    assertThat(fcdn.channelName()).isEqualTo("cdn");
    assertThat(fcdn.account()).isEqualTo("viewer");
    assertThat(fcdn.privileges()).containsEntry(1, 10L).containsEntry(2, 20L);
    ApaasService apaas = (ApaasService) t.services().get(3);
    assertThat(apaas.roomUuid()).isEqualTo("room-1");
    assertThat(apaas.userUuid()).isEqualTo("user-1");
    assertThat(apaas.role()).isEqualTo((short) -2);
    assertThat(t.privileges()).extracting(p -> p.service() + "." + p.name())
        .containsExactly("streaming.publish_raw_stream", "fpa.login", "fcdn.publish", "fcdn.play", "apaas.app");
  }

  @Test
  void signatureIsCheckedBeforeExpiryAndCredentialsAreRequired() {
    AccessToken2 t = AccessToken2.parse(valid());
    AccessToken2Verifier late = new AccessToken2Verifier(
        java.time.Clock.fixed(java.time.Instant.ofEpochSecond(2_000_000), java.time.ZoneOffset.UTC));
    assertThatThrownBy(() -> late.verify(t, java.util.List.of(Secret.of("0123456789abcdef0123456789abcdef"))))
        .extracting("reason").isEqualTo(dev.tokenauthority.core.TokenVerificationException.SIGNATURE_MISMATCH);
    assertThatThrownBy(() -> late.verify(t, java.util.List.of(Secret.of("5CFd2fd1755d40ecb72977518be15d3b"))))
        .extracting("reason").isEqualTo(dev.tokenauthority.core.TokenVerificationException.TOKEN_EXPIRED);
    assertThatThrownBy(() -> late.verify(t, java.util.List.of()))
        .extracting("reason").isEqualTo(dev.tokenauthority.core.TokenVerificationException.NO_CREDENTIALS);
  }
}
