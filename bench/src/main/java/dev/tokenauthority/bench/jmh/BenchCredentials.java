package dev.tokenauthority.bench.jmh;

import dev.tokenauthority.core.Secret;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Throw-away credentials drawn per benchmark run; nothing here is a real secret. */
final class BenchCredentials {
  private static final SecureRandom RANDOM = new SecureRandom();

  private BenchCredentials() {}

  /** 32 lowercase hex characters: an Agora app id or certificate, or a ZEGO server secret. */
  static String hex32() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static Secret secret(String label) {
    return new Secret(label, hex32());
  }
}
