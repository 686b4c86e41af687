package dev.tokenauthority.core.diagnose;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A channel or user a token is bound to. Most formats carry the text; a legacy "006" token only
 * the CRC-32 of it (plus the text once verified with a binding), so a comparison works for both.
 */
record HeldValue(Optional<String> text, long crc) {
  static HeldValue text(String text) {
    return new HeldValue(Optional.of(text), crc32(text));
  }

  static HeldValue crc(long crc, Optional<String> knownText) {
    return new HeldValue(knownText, crc);
  }

  boolean matches(String candidate) {
    return text.map(candidate::equals).orElseGet(() -> crc32(candidate) == crc);
  }

  /**
   * For a message about a mismatch: "the channel \"room1\"", or, when only the CRC-32 is known,
   * "another channel (the token holds only its CRC-32)".
   */
  String described(String what) {
    return text.map(t -> "the " + what + " " + Finding.quote(t))
        .orElse("another " + what + " (the token holds only its CRC-32)");
  }

  static long crc32(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
