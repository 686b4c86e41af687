package dev.tokenauthority.core.easemobdt;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.testing.FuzzChecks;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * Fuzzes the Easemob dynamic token parser and verifier. Property: parse throws only
 * MalformedTokenException, verify only TokenVerificationException; what verifies re-verifies with
 * the same claims, also spelled in the other padding style.
 */
class DynamicTokenFuzzTest {
  /** The first credential of the vendor vectors (vectors/easemob.json). */
  private static final ClientCredential CREDENTIAL =
      new ClientCredential("YMAVZF5klQ9f8SyyLlbFeg", Secret.of("YXA6S8ogAHXFfh8gY4zZoFQPLROg7DC"));
  private static final String APP_KEY = "dvz5o#a1368tl";

  /** Any text as a token. */
  @FuzzTest
  void token(byte[] input) {
    check(new String(input, StandardCharsets.UTF_8));
  }

  /**
   * Any JSON body, wrapped as "dt-" + body in base64url; when it reads, its signature is replaced
   * by the right one for its fields, so the fuzzer reaches verification without forging SHA-256.
   */
  @FuzzTest
  void json(byte[] body) {
    String token = wrap(body);
    DynamicToken parsed;
    try {
      parsed = DynamicTokenParser.parse(token);
    } catch (MalformedTokenException e) {
      return;
    }
    String right = DtSignature.compute(
        CREDENTIAL, parsed.appKey(), parsed.userId(), parsed.curTime(), parsed.ttlSeconds());
    String text = new String(body, StandardCharsets.UTF_8).replace(parsed.signature(), right);
    check(wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String wrap(byte[] body) {
    byte[] bytes = new byte[3 + body.length];
    System.arraycopy("dt-".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 3);
    System.arraycopy(body, 0, bytes, 3, body.length);
    return Base64.getUrlEncoder().encodeToString(bytes);
  }

  private static void check(String token) {
    DynamicToken parsed;
    try {
      parsed = DynamicTokenParser.parse(token);
    } catch (MalformedTokenException e) {
      return;
    }
    FuzzChecks.readAll(parsed);
    DynamicTokenVerifier verifier = DynamicTokenVerifier.builder().credential(CREDENTIAL).expectedAppKey(APP_KEY)
        .clock(Clock.fixed(parsed.issuedAt(), ZoneOffset.UTC)).build();
    VerifiedToken<DynamicToken> verified;
    try {
      verified = verifier.verify(parsed, Duration.ZERO);
    } catch (TokenVerificationException e) {
      return;
    }
    byte[] bytes = Base64.getUrlDecoder().decode(token);
    String otherPadding = token.endsWith("=")
        ? Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)
        : Base64.getUrlEncoder().encodeToString(bytes);
    VerifiedToken<DynamicToken> again = verifier.verify(otherPadding);
    FuzzChecks.sameClaims(verified.claims(), again.claims());
  }
}
