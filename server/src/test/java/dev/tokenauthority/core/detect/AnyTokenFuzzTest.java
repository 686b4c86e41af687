package dev.tokenauthority.core.detect;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.testing.FuzzChecks;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Fuzzes format detection and the parse facade. Property: only MalformedTokenException; a parsed
 * token's format is the detected one, and its clear claims and stated expiry read without failing.
 */
class AnyTokenFuzzTest {
  @FuzzTest
  void parse(byte[] input) {
    String token = new String(input, StandardCharsets.UTF_8);
    AnyToken parsed;
    try {
      parsed = AnyToken.parse(token);
    } catch (MalformedTokenException e) {
      return;
    }
    if (parsed.format() != AnyToken.detect(token)) {
      throw new AssertionError("parsed as " + parsed.format() + " but detected as " + AnyToken.detect(token));
    }
    Objects.requireNonNull(parsed.statedExpiry());
    parsed.claims().ifPresent(FuzzChecks::readAll);
    Objects.requireNonNull(parsed.appId());
  }
}
