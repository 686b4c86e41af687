package dev.tokenauthority.core.agora007;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.testing.FuzzChecks;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Fuzzes the 007 parser and verifier. Property: parse throws only MalformedTokenException, verify
 * only TokenVerificationException; what verifies re-verifies with the same claims, also
 * re-compressed at another zlib level. Seeds: src/test/resources/.../AccessToken2FuzzTestInputs.
 */
class AccessToken2FuzzTest {
  private static final List<Secret> CERTIFICATES = List.of(Secret.of(FuzzChecks.AGORA_CERTIFICATE));

  /** Any text as a token. */
  @FuzzTest
  void token(byte[] input) {
    check(new String(input, StandardCharsets.UTF_8));
  }

  /**
   * Any signed message (app id, times, salt, services), signed with the test certificate, so the
   * fuzzer reaches verification and the claims of authentic tokens without forging HMACs.
   */
  @FuzzTest
  void signedMessage(byte[] message) {
    byte[] unsigned = content(new byte[32], message);
    AccessToken2 parsed;
    try {
      parsed = AccessToken2.parse(wrap(unsigned, Deflater.DEFAULT_COMPRESSION));
    } catch (MalformedTokenException e) {
      return;
    }
    byte[] signature = Signatures.sign(
        FuzzChecks.AGORA_CERTIFICATE, parsed.issueTs(), parsed.salt(), message, 0, message.length);
    check(wrap(content(signature, message), Deflater.DEFAULT_COMPRESSION));
  }

  private static void check(String token) {
    AccessToken2 parsed;
    try {
      parsed = AccessToken2.parse(token);
    } catch (MalformedTokenException e) {
      return;
    }
    FuzzChecks.readAll(parsed);
    AccessToken2Verifier verifier = new AccessToken2Verifier(Clock.fixed(parsed.issuedAt(), ZoneOffset.UTC));
    VerifiedToken<AccessToken2> verified;
    try {
      verified = verifier.verify(parsed, CERTIFICATES);
    } catch (TokenVerificationException e) {
      return;
    }
    VerifiedToken<AccessToken2> again = verifier.verify(wrap(parsed.content(), Deflater.BEST_COMPRESSION), CERTIFICATES);
    FuzzChecks.sameClaims(verified.claims(), again.claims());
  }

  /** u16 length + signature, then the signed message: a 007 token's inflated content. */
  private static byte[] content(byte[] signature, byte[] message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(2 + signature.length + message.length);
    out.write(signature.length);
    out.write(signature.length >>> 8);
    out.writeBytes(signature);
    out.writeBytes(message);
    return out.toByteArray();
  }

  private static String wrap(byte[] content, int level) {
    Deflater deflater = new Deflater(level);
    try {
      deflater.setInput(content);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return AccessToken2.VERSION + Base64.getEncoder().encodeToString(out.toByteArray());
    } finally {
      deflater.end();
    }
  }
}
