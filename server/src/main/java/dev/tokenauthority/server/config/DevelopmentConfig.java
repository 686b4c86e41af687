package dev.tokenauthority.server.config;

import dev.tokenauthority.core.Secret;
import dev.tokenauthority.server.policy.CallerPolicy;
import dev.tokenauthority.server.policy.RtcRoleRule;
import dev.tokenauthority.server.policy.TokenKind;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration used when {@code serve} gets no file: plaintext on loopback, one demo app per
 * vendor with credentials drawn at start (never printed), and the fixed identity "local" allowed
 * everything. Not for production, and it says so loudly at start-up.
 */
public final class DevelopmentConfig {
  /** The identity every caller has in development mode (there is no certificate to read). */
  public static final String LOCAL_IDENTITY = "local";

  public static final String AGORA_APP = "agora";
  public static final String ZEGO_APP = "zego";
  public static final String EASEMOB_APP = "easemob";

  private DevelopmentConfig() {}

  public static ServerConfig create(SecureRandom random) {
    HexFormat hex = HexFormat.of();
    AgoraApp agora = new AgoraApp(AGORA_APP, hex.formatHex(bytes(random, 16)),
        List.of(Secret.of(hex.formatHex(bytes(random, 16)))), Optional.empty(), Optional.empty());
    long zegoId = 1 + (random.nextLong() & 0x7FFF_FFFFL);
    ZegoApp zego = new ZegoApp(ZEGO_APP, zegoId, List.of(Secret.of(hex.formatHex(bytes(random, 16)))));
    EasemobApp easemob = new EasemobApp(EASEMOB_APP, "dev#demo", "dev" + hex.formatHex(bytes(random, 8)),
        List.of(Secret.of("YXA6" + hex.formatHex(bytes(random, 14)))), Optional.empty(),
        EasemobApp.TtlUnit.SECONDS);
    CallerPolicy local = new CallerPolicy(LOCAL_IDENTITY, Set.of(CallerPolicy.ANY), Set.of(CallerPolicy.ANY),
        EnumSet.allOf(TokenKind.class), EnumSet.allOf(RtcRoleRule.class), ConfigLoader.MAX_LIFETIME_SECONDS,
        3600, Optional.empty(), Optional.empty(), false);
    return new ServerConfig(
        new ServerConfig.Listen("127.0.0.1", 50051),
        Optional.empty(),
        Map.of(AGORA_APP, agora, ZEGO_APP, zego, EASEMOB_APP, easemob),
        Map.of(LOCAL_IDENTITY, local),
        Duration.ofMinutes(5),
        ConfigLoader.defaultLimits(),
        ConfigLoader.defaultShutdown(),
        true);
  }

  private static byte[] bytes(SecureRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
