package dev.tokenauthority.core.agora006;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.agora.LittleEndianWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.assertj.core.api.AbstractObjectAssert;
import org.junit.jupiter.api.Test;

class LegacyAccessTokenMalformedTest {
  private static final String APP_ID = "970CA35de60c44645bbae8a215061b33";
  private static final Secret CERT = Secret.of("5CFd2fd1755d40ecb72977518be15d3b");

  private static AbstractObjectAssert<?, ?> reasonOf(String token) {
    return assertThatThrownBy(() -> LegacyAccessToken.parse(token))
        .isInstanceOf(MalformedTokenException.class).extracting("reason");
  }

  private static String token(byte[] content) {
    return "006" + APP_ID + Base64.getEncoder().encodeToString(content);
  }

  private static byte[] content(byte[] message) {
    return new LittleEndianWriter(64).bytes(new byte[32]).u32(1).u32(2).bytes(message).toByteArray();
  }

  @Test
  void versionAppIdAndBase64() {
    reasonOf("007" + APP_ID + "AAAA").isEqualTo("WRONG_VERSION");
    reasonOf("006" + APP_ID.substring(0, 20)).isEqualTo("TRUNCATED");
    reasonOf("006" + APP_ID.replace('9', 'g') + "AAAA").isEqualTo("BAD_APP_ID");
    reasonOf("006" + APP_ID).isEqualTo("BAD_BASE64");
    reasonOf("006" + APP_ID + "AB==").isEqualTo("NON_CANONICAL_BASE64");
  }

  @Test
  void truncationAndTrailingBytesInContentAndMessage() {
    byte[] message = new LittleEndianWriter(16).u32(7).u32(100).u16(1).u16(1).u32(0).toByteArray();
    byte[] full = content(message);
    LegacyAccessToken.parse(token(full));
    for (int cut = 1; cut < full.length; cut++) {
      reasonOf(token(Arrays.copyOf(full, cut))).isIn("TRUNCATED", "BAD_SIGNATURE_LENGTH");
    }
    reasonOf(token(Arrays.copyOf(full, full.length + 1))).isEqualTo("TRAILING_BYTES");
    byte[] longMessage = Arrays.copyOf(message, message.length + 2);
    reasonOf(token(content(longMessage))).isEqualTo("TRAILING_BYTES");
    reasonOf(token(content(Arrays.copyOf(message, 9)))).isEqualTo("TRUNCATED");
  }

  @Test
  void signatureIsCheckedBeforeExpiryAndCredentialsAreRequired() {
    LegacyAccessToken t = LegacyAccessTokenBuilder.create().appId(APP_ID).channelName("room").uid("1")
        .ts(1000).privilege(1, 0).sign(CERT).claims();
    LegacyAccessTokenVerifier late = new LegacyAccessTokenVerifier(Clock.fixed(Instant.ofEpochSecond(5000), ZoneOffset.UTC));
    assertThatThrownBy(() -> late.verify(t, "room", "1", List.of(Secret.of("0123456789abcdef0123456789abcdef"))))
        .extracting("reason").isEqualTo(TokenVerificationException.SIGNATURE_MISMATCH);
    assertThatThrownBy(() -> late.verify(t, "room", "1", List.of(CERT)))
        .extracting("reason").isEqualTo(TokenVerificationException.TOKEN_EXPIRED);
    assertThatThrownBy(() -> late.verify(t, "room", "1", List.of()))
        .extracting("reason").isEqualTo(TokenVerificationException.NO_CREDENTIALS);
  }
}
