package dev.tokenauthority.core.zego04;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.codec.Bytes;
import dev.tokenauthority.core.codec.StrictJson;
import dev.tokenauthority.core.testing.FuzzChecks;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fuzzes the Token04 parser, decryption and verification. Property: parse throws only
 * MalformedTokenException; decrypt and verify only MalformedTokenException (decrypted but not the
 * format) or TokenVerificationException; what verifies re-verifies with the same claims.
 */
class Token04FuzzTest {
  private static final Secret SECRET = Secret.of(FuzzChecks.ZEGO_SECRET);
  private static final SecretKeySpec KEY =
      Aes256Cbc.key(FuzzChecks.ZEGO_SECRET.getBytes(StandardCharsets.US_ASCII));
  private static final byte[] IV = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** Any text as a token. */
  @FuzzTest
  void token(byte[] input) {
    check(new String(input, StandardCharsets.UTF_8));
  }

  /**
   * Any plaintext, encrypted with the test secret (the clear expiry copied from its "expire" when it
   * has one), so the fuzzer reaches the JSON and payload rules behind the cipher.
   */
  @FuzzTest
  void plaintext(byte[] plaintext) {
    long expire = Bytes.utf8(plaintext).flatMap(StrictJson::parseObject)
        .map(Token04FuzzTest::expireOf).orElse(1L);
    byte[] ciphertext = Aes256Cbc.encrypt(KEY, IV, plaintext);
    if (ciphertext.length > 0xFFFF) {
      return;
    }
    ByteBuffer out = ByteBuffer.allocate(Long.BYTES + 2 + IV.length + 2 + ciphertext.length);
    out.putLong(expire).putShort((short) IV.length).put(IV).putShort((short) ciphertext.length).put(ciphertext);
    check(Token04Parser.PREFIX + Base64.getEncoder().encodeToString(out.array()));
  }

  private static long expireOf(ObjectNode json) {
    return json.path("expire").canConvertToLong() ? json.path("expire").longValue() : 1L;
  }

  private static void check(String token) {
    Token04Envelope envelope;
    try {
      envelope = Token04Parser.parse(token);
    } catch (MalformedTokenException e) {
      return;
    }
    Token04Verifier verifier = Token04Verifier.builder().serverSecret(SECRET)
        .clock(Clock.fixed(envelope.expiresAt().minusSeconds(1), ZoneOffset.UTC)).build();
    VerifiedToken<ZegoToken04> verified;
    try {
      verified = verifier.verify(envelope, java.time.Duration.ZERO);
    } catch (MalformedTokenException | TokenVerificationException e) {
      return;
    }
    FuzzChecks.readAll(verified.claims());
    VerifiedToken<ZegoToken04> again = verifier.verify(token);
    FuzzChecks.sameClaims(verified.claims(), again.claims());
  }
}
