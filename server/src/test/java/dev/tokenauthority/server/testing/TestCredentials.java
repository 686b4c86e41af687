package dev.tokenauthority.server.testing;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random credentials for test configurations (fresh per run, registered with LogCapture). */
public final class TestCredentials {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestCredentials() {}

  /** 32 hex characters: Agora app ids and certificates, ZEGO server secrets. */
  public static String hex32() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    String s = HexFormat.of().formatHex(b);
    LogCapture.registerSecret(s);
    return s;
  }

  public static String easemobSecret() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    String s = "YXA6" + HexFormat.of().formatHex(b);
    LogCapture.registerSecret(s);
    return s;
  }
}
