package dev.tokenauthority.core.agora006;

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
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Fuzzes the 006 parser and verifier. Inputs are "channel\nuid\n" then the rest (a token, or the
 * signed message). Property: parse throws only MalformedTokenException, verify only
 * TokenVerificationException; what verifies re-verifies with the same claims.
 */
class LegacyAccessTokenFuzzTest {
  private static final List<Secret> CERTIFICATES = List.of(Secret.of(FuzzChecks.AGORA_CERTIFICATE));
  private static final String APP_ID = "970CA35de60c44645bbae8a215061b33";

  /** "channel\nuid\ntoken". */
  @FuzzTest
  void token(byte[] input) {
    Split in = Split.of(input);
    check(new String(in.rest, StandardCharsets.UTF_8), in.channel, in.uid);
  }

  /** "channel\nuid\nmessage": the message (salt, ts, privileges) bound and signed with the test certificate. */
  @FuzzTest
  void signedMessage(byte[] input) {
    Split in = Split.of(input);
    byte[] signature = LegacySignatures.sign(FuzzChecks.AGORA_CERTIFICATE, APP_ID, in.channel, in.uid, in.rest);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    u16(body, signature.length);
    body.writeBytes(signature);
    u32(body, LegacySignatures.crc32(in.channel));
    u32(body, LegacySignatures.crc32(in.uid));
    u16(body, in.rest.length);
    body.writeBytes(in.rest);
    check(LegacyAccessToken.VERSION + APP_ID + Base64.getEncoder().encodeToString(body.toByteArray()),
        in.channel, in.uid);
  }

  private static void check(String token, String channel, String uid) {
    LegacyAccessToken parsed;
    try {
      parsed = LegacyAccessToken.parse(token);
    } catch (MalformedTokenException e) {
      return;
    }
    FuzzChecks.readAll(parsed);
    LegacyAccessTokenVerifier verifier =
        new LegacyAccessTokenVerifier(Clock.fixed(parsed.issuedAt(), ZoneOffset.UTC));
    VerifiedToken<LegacyAccessToken> verified;
    try {
      verified = verifier.verify(parsed, channel, uid, CERTIFICATES);
    } catch (TokenVerificationException e) {
      return;
    }
    FuzzChecks.readAll(verified.claims());
    VerifiedToken<LegacyAccessToken> again =
        verifier.verify(LegacyAccessToken.parse(token), channel, uid, CERTIFICATES);
    FuzzChecks.sameClaims(verified.claims(), again.claims());
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
  }

  private static void u32(ByteArrayOutputStream out, long v) {
    for (int i = 0; i < 4; i++) {
      out.write((int) (v >>> (8 * i)));
    }
  }

  /** The input cut at its first two newlines (missing parts are empty). */
  private record Split(String channel, String uid, byte[] rest) {
    static Split of(byte[] input) {
      int first = indexOf(input, 0);
      int second = first < 0 ? -1 : indexOf(input, first + 1);
      if (second < 0) {
        return new Split("", "", input);
      }
      return new Split(
          new String(input, 0, first, StandardCharsets.UTF_8),
          new String(input, first + 1, second - first - 1, StandardCharsets.UTF_8),
          Arrays.copyOfRange(input, second + 1, input.length));
    }

    private static int indexOf(byte[] input, int from) {
      for (int i = from; i < input.length; i++) {
        if (input[i] == '\n') {
          return i;
        }
      }
      return -1;
    }
  }
}
