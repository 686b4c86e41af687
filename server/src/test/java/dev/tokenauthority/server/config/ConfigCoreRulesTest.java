package dev.tokenauthority.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.tokens.CoreTokenEngine;
import dev.tokenauthority.server.tokens.EasemobDynamicGrant;
import dev.tokenauthority.server.tokens.Minted;
import dev.tokenauthority.server.tokens.RtmGrant;
import dev.tokenauthority.server.tokens.ZimGrant;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * App ids, app keys and credentials are checked at start-up with the token core's own rules (and
 * the REST bridges' rules for the app keys they put in URLs): a value the loader accepts always
 * mints, and a rejection names the key without echoing a secret.
 */
class ConfigCoreRulesTest {
  static final String APP_ID = "970CA35de60c44645bbae8a215061b33";
  static final String CERT = "0123456789abcdef0123456789ABCDEF";
  static final String OK_CERT = "00112233445566778899aabbccddeeff";
  static final String EASEMOB_SECRET = "YXA6secret";

  static {
    LogCapture.registerSecret(CERT);
    LogCapture.registerSecret(OK_CERT);
    LogCapture.registerSecret(EASEMOB_SECRET);
  }
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final CoreTokenEngine ENGINE = new CoreTokenEngine();

  static ServerConfig parse(String app, Map<String, String> env) {
    return new ConfigLoader(env::get).parse("apps:\n  x: " + app + "\n", Path.of("."));
  }

  /** Values the previous, looser checks let through, each of which the core refuses when minting. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      easemob key with a slash     | {vendor: easemob, app_key: "org/x#app", client_id: c, client_secret: {env: S}} | | apps.x.app_key | org#app
      easemob key with a star      | {vendor: easemob, app_key: "org#a*b", client_id: c, client_secret: {env: S}}   | | apps.x.app_key | org#app
      easemob key non-ASCII        | {vendor: easemob, app_key: "orgé#app", client_id: c, client_secret: {env: S}}  | | apps.x.app_key | org#app
      easemob client id non-ASCII  | {vendor: easemob, app_key: o#a, client_id: "cé", client_secret: {env: S}}      | | apps.x.client_id | visible ASCII
      easemob key the bridge cannot use | {vendor: easemob, app_key: o.x#a, client_id: c, client_secret: {env: S}, rest_base: "https://a1.easemob.com"} | | apps.x.app_key | REST bridge
      chat key the bridge cannot use | {vendor: agora, app_id: 970CA35de60c44645bbae8a215061b33, certificate: {env: S}, chat_app_key: "o.x#a"} | 0123456789abcdef0123456789ABCDEF | apps.x.chat_app_key | REST bridge
      zego secret 32 non-ASCII     | {vendor: zego, app_id: 7, server_secret: {env: S}}     | éééééééééééééééééééééééééééééééé | apps.x.server_secret | 32 ASCII
      zego secondary non-ASCII     | {vendor: zego, app_id: 7, server_secret: {env: OK}, secondary_server_secret: {env: S}} | ééééééééééééééééééééééééééééééé1 | apps.x.secondary_server_secret | 32 ASCII
      zego app id above u32        | {vendor: zego, app_id: 4294967296, server_secret: {env: OK}} | | apps.x.app_id | 4294967295
      zego app id negative         | {vendor: zego, app_id: -1, server_secret: {env: OK}}   | | apps.x.app_id | 4294967295
      agora app id not hex         | {vendor: agora, app_id: 970CA35de60c44645bbae8a215061bzz, certificate: {env: OK}} | | apps.x.app_id | 32 hexadecimal
      agora certificate not hex    | {vendor: agora, app_id: 970CA35de60c44645bbae8a215061b33, certificate: {env: S}} | 0123456789abcdef0123456789ABCDEG | apps.x.certificate | 32 hexadecimal
      """)
  void valuesTheCoreRefusesStopStartUpNamingTheKey(String name, String app, String secret, String key, String rule) {
    Map<String, String> env = new HashMap<>();
    env.put("OK", OK_CERT);
    env.put("S", secret == null ? EASEMOB_SECRET : secret);
    assertThatThrownBy(() -> parse(app, env))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key))
        .hasMessageStartingWith(key + ": ")
        .hasMessageContaining(rule)
        .satisfies(e -> {
          if (secret != null) {
            assertThat(e.getMessage()).doesNotContain(secret);
          }
        });
  }

  @Property(tries = 300)
  void anEasemobAppKeyAcceptedAtStartUpMints(@ForAll("appKeys") String appKey) {
    Optional<ServerConfig> cfg = loaded("{vendor: easemob, app_key: \"" + appKey
        + "\", client_id: c, client_secret: {env: S}}", EASEMOB_SECRET, "apps.x.app_key");
    cfg.ifPresent(c -> {
      Minted m = ENGINE.mint(c.apps().get("x"), new EasemobDynamicGrant("u1"), NOW, Duration.ofMinutes(5));
      assertThat(m.claims().appId()).isEqualTo(appKey);
    });
  }

  @Property(tries = 300)
  void aZegoSecretAcceptedAtStartUpMints(@ForAll("secrets") String secret) {
    loaded("{vendor: zego, app_id: 7, server_secret: {env: S}}", secret, "apps.x.server_secret")
        .ifPresent(c -> assertThat(ENGINE.mint(c.apps().get("x"), new ZimGrant("u1", Optional.empty()), NOW,
            Duration.ofMinutes(5)).token()).isNotEmpty());
  }

  @Property(tries = 300)
  void anAgoraAppIdAndCertificateAcceptedAtStartUpMint(
      @ForAll("secrets") String appId, @ForAll("secrets") String certificate) {
    loaded("{vendor: agora, app_id: \"" + appId + "\", certificate: {env: S}}", certificate, null)
        .ifPresent(c -> assertThat(ENGINE.mint(c.apps().get("x"), new RtmGrant("u1", TokenFormat.AGORA_007), NOW,
            Duration.ofMinutes(5)).claims().appId()).isEqualTo(appId));
  }

  /** The loaded config, or empty when start-up refused it naming {@code key} (or any app key when null). */
  private static Optional<ServerConfig> loaded(String app, String secret, String key) {
    try {
      return Optional.of(parse(app, Map.of("S", secret)));
    } catch (ConfigException e) {
      if (key != null) {
        assertThat(e.key()).isEqualTo(key);
      } else {
        assertThat(e.key()).startsWith("apps.x.");
      }
      assertThat(e.getMessage()).doesNotContain(secret);
      return Optional.empty();
    }
  }

  @Provide
  Arbitrary<String> appKeys() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("abZ09.-_#/ é*").ofMinLength(1).ofMaxLength(12),
        Arbitraries.strings().withChars("ab.-_").ofMinLength(1).ofMaxLength(6)
            .flatMap(org -> Arbitraries.strings().withChars("xy-_.").ofMinLength(1).ofMaxLength(6)
                .map(app -> org + "#" + app)));
  }

  @Provide
  Arbitrary<String> secrets() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(32),
        Arbitraries.strings().withChars("0123456789abcdefgé !").ofMinLength(30).ofMaxLength(34));
  }
}
