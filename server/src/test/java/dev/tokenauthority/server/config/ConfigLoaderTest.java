package dev.tokenauthority.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.bridge.easemob.TtlUnit;
import dev.tokenauthority.server.policy.CallerPolicy;
import dev.tokenauthority.server.policy.RtcRoleRule;
import dev.tokenauthority.server.policy.TokenKind;
import dev.tokenauthority.server.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Unknown keys and bad values stop start-up with a message naming the key; secrets never echoed. */
class ConfigLoaderTest {
  static final String CERT = "0123456789abcdef0123456789ABCDEF";
  static final String CERT2 = "fedcba9876543210fedcba9876543210";
  static final Map<String, String> ENV = Map.of("CERT", CERT, "CERT2", CERT2, "SHORT", "abc",
      "ZS", "abcdefghijklmnopqrstuvwxyz012345", "EM", "YXA6secret");

  static {
    ENV.values().forEach(LogCapture::registerSecret);
  }
  static final String APPS = """
      apps:
        rtc:
          vendor: agora
          app_id: 970CA35de60c44645bbae8a215061b33
          certificate: {env: CERT}
          secondary_certificate: {env: CERT2}
        zim: {vendor: zego, app_id: 99, server_secret: {env: ZS}}
        im: {vendor: easemob, app_key: a#b, client_id: c, client_secret: {env: EM}, rest_ttl_unit: milliseconds}
      """;

  @TempDir Path dir;

  ServerConfig parse(String yaml) {
    return new ConfigLoader(ENV::get).parse(yaml, dir);
  }

  @Test
  void aFullFileLoadsIntoOneSnapshot() {
    ServerConfig c = parse(APPS + """
        listen: {address: 127.0.0.1, port: 6000}
        callers:
          - identity: spiffe://x/y
            apps: [rtc]
            rpcs: [IssueRtcToken, RenewToken]
            token_kinds: [rtc]
            rtc_roles: [subscriber]
            max_lifetime_seconds: 7200
            default_lifetime_seconds: 60
            channel_pattern: "game-[0-9]+"
        renewal: {grace_seconds: 120}
        limits: {handler_threads: 3, max_concurrent_calls: 10, max_request_bytes: 4096}
        shutdown: {drain_delay_seconds: 2, grace_seconds: 9}
        """);
    assertThat(c.listen()).isEqualTo(new ServerConfig.Listen("127.0.0.1", 6000));
    assertThat(c.tls()).isEmpty();
    AgoraApp rtc = (AgoraApp) c.apps().get("rtc");
    assertThat(rtc.credentials()).extracting(s -> s.label()).containsExactly("primary", "secondary");
    assertThat(rtc.credentials().get(1).reveal()).isEqualTo(CERT2);
    assertThat(((EasemobApp) c.apps().get("im")).ttlUnit()).isEqualTo(TtlUnit.MILLISECONDS);
    CallerPolicy p = c.caller("spiffe://x/y").orElseThrow();
    assertThat(p.allowsRpc("RenewToken")).isTrue();
    assertThat(p.allowsRpc("InspectToken")).isFalse();
    assertThat(p.kinds()).containsExactly(TokenKind.RTC);
    assertThat(p.rtcRoles()).containsExactly(RtcRoleRule.SUBSCRIBER);
    assertThat(p.maxLifetimeSeconds()).isEqualTo(7200);
    assertThat(p.channelPattern().orElseThrow().pattern()).isEqualTo("game-[0-9]+");
    assertThat(c.renewalGrace()).isEqualTo(Duration.ofSeconds(120));
    assertThat(c.limits()).isEqualTo(new ServerConfig.Limits(3, 10, 4096));
    assertThat(c.shutdown()).isEqualTo(new ServerConfig.Shutdown(Duration.ofSeconds(2), Duration.ofSeconds(9)));
  }

  @Test
  void credentialsFromFilesResolveAgainstTheConfigDirectory() throws Exception {
    Files.writeString(dir.resolve("cert.txt"), CERT + "\n");
    ServerConfig c = parse("""
        apps:
          rtc: {vendor: agora, app_id: 970CA35de60c44645bbae8a215061b33, certificate: {file: cert.txt}}
        """);
    assertThat(c.apps().get("rtc").primary().reveal()).isEqualTo(CERT);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown top-level key      | colour: blue                                            | colour
      unknown listen key         | listen: {adress: 127.0.0.1}                             | listen.adress
      port out of range          | listen: {port: 70000}                                   | listen.port
      non-loopback without tls   | listen: {address: 0.0.0.0}                              | listen.address
      unknown caller key         | 'callers: [{identity: a, apps: [rtc], rpcs: ["*"], max_lifetime: 5}]' | callers[0].max_lifetime
      unknown rpc                | 'callers: [{identity: a, apps: [rtc], rpcs: [MintAll]}]'      | callers[0].rpcs
      unknown app in policy      | 'callers: [{identity: a, apps: [ghost], rpcs: ["*"]}]'        | callers[0].apps
      unknown token kind         | 'callers: [{identity: a, apps: [rtc], rpcs: ["*"], token_kinds: [video]}]' | callers[0].token_kinds
      lifetime above 24 h        | 'callers: [{identity: a, apps: [rtc], rpcs: ["*"], max_lifetime_seconds: 90000}]' | callers[0].max_lifetime_seconds
      default above max          | 'callers: [{identity: a, apps: [rtc], rpcs: ["*"], max_lifetime_seconds: 10, default_lifetime_seconds: 20}]' | callers[0].default_lifetime_seconds
      bad regex                  | 'callers: [{identity: a, apps: [rtc], rpcs: ["*"], channel_pattern: "("}]' | callers[0].channel_pattern
      duplicate identity         | 'callers: [{identity: a, apps: [rtc], rpcs: ["*"]}, {identity: a, apps: [rtc], rpcs: ["*"]}]' | callers[1].identity
      negative grace             | 'renewal: {grace_seconds: -1}'                          | renewal.grace_seconds
      zero threads               | 'limits: {handler_threads: 0}'                          | limits.handler_threads
      tls without files          | 'tls: {certificate_file: nope.pem, private_key_file: nope.key}' | tls.certificate_file
      """)
  void badValuesNameTheirKey(String name, String extra, String key) {
    assertThatThrownBy(() -> parse(APPS + extra.replace("'", "")))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown vendor       | {vendor: skype, app_id: x}                                                  | apps.x.vendor
      agora app id         | {vendor: agora, app_id: short, certificate: {env: CERT}}                    | apps.x.app_id
      missing env var      | {vendor: agora, app_id: 970CA35de60c44645bbae8a215061b33, certificate: {env: NOPE}} | apps.x.certificate.env
      malformed cert       | {vendor: agora, app_id: 970CA35de60c44645bbae8a215061b33, certificate: {env: SHORT}} | apps.x.certificate
      env and file         | {vendor: agora, app_id: 970CA35de60c44645bbae8a215061b33, certificate: {env: CERT, file: f}} | apps.x.certificate
      unknown app key      | {vendor: agora, app_id: 970CA35de60c44645bbae8a215061b33, certificate: {env: CERT}, colour: red} | apps.x.colour
      zego app id 0        | {vendor: zego, app_id: 0, server_secret: {env: ZS}}                         | apps.x.app_id
      zego secret length   | {vendor: zego, app_id: 5, server_secret: {env: SHORT}}                      | apps.x.server_secret
      easemob app key      | {vendor: easemob, app_key: nohash, client_id: c, client_secret: {env: EM}}  | apps.x.app_key
      easemob ttl unit     | {vendor: easemob, app_key: a#b, client_id: c, client_secret: {env: EM}, rest_ttl_unit: hours} | apps.x.rest_ttl_unit
      """)
  void badAppsNameTheirKeyAndNeverEchoTheSecret(String name, String app, String key) {
    assertThatThrownBy(() -> parse("apps:\n  x: " + app + "\n"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CERT).doesNotContain("abc\""));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      chat url plain http         | chat_rest_base: "http://a41.chat.agora.io"                   | apps.x.chat_rest_base | https
      chat url other scheme       | chat_rest_base: "ftp://a41.chat.agora.io"                    | apps.x.chat_rest_base | https
      chat url with query         | chat_rest_base: "https://a41.chat.agora.io/?k=v"             | apps.x.chat_rest_base | scheme://host
      chat url without host       | chat_rest_base: "https:///path"                              | apps.x.chat_rest_base | scheme://host
      chat url syntax             | chat_rest_base: "https://a b"                              | apps.x.chat_rest_base | not a valid URL
      easemob url plain http      | rest_base: "http://a1.easemob.com"                           | apps.y.rest_base      | https
      easemob url http to a host  | rest_base: "http://10.0.0.1:8080"                            | apps.y.rest_base      | loopback
      """)
  void vendorRestBaseUrlsMustBeHttpsOrLoopbackHttp(String name, String setting, String key, String says) {
    String yaml = key.startsWith("apps.x")
        ? "apps:\n  x: {vendor: agora, app_id: 970CA35de60c44645bbae8a215061b33, certificate: {env: CERT}, "
            + setting + "}\n"
        : "apps:\n  y: {vendor: easemob, app_key: a#b, client_id: c, client_secret: {env: EM}, " + setting + "}\n";
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key))
        .hasMessageStartingWith(key + ": ")
        .hasMessageContaining(says);
  }

  @Test
  void vendorRestBaseUrlsOverHttpsOrLoopbackHttpLoad() {
    ServerConfig c = parse("""
        apps:
          x: {vendor: agora, app_id: 970CA35de60c44645bbae8a215061b33, certificate: {env: CERT}, chat_rest_base: "https://a41.chat.agora.io/", chat_app_key: "o#a"}
          y: {vendor: easemob, app_key: a#b, client_id: c, client_secret: {env: EM}, rest_base: "http://127.0.0.1:8089"}
        """);
    assertThat(((AgoraApp) c.apps().get("x")).chatRestBase()).hasValueSatisfying(
        u -> assertThat(u.toString()).isEqualTo("https://a41.chat.agora.io"));
    assertThat(((EasemobApp) c.apps().get("y")).restBase()).hasValueSatisfying(
        u -> assertThat(u.toString()).isEqualTo("http://127.0.0.1:8089"));
  }

  @Test
  void noAppsIsAnError() {
    assertThatThrownBy(() -> parse("apps: {}\n")).isInstanceOf(ConfigException.class).hasMessageStartingWith("apps:");
  }
}
