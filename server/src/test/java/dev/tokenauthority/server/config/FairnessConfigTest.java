package dev.tokenauthority.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.server.limits.CallerQuota;
import dev.tokenauthority.server.limits.Rate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The fairness keys: limits.request_message_timeout_ms, limits.per_caller, limits.http2, callers[].limits. */
class FairnessConfigTest {
  static final String APPS = """
      apps:
        rtc: {vendor: agora, app_id: 970CA35de60c44645bbae8a215061b33, certificate: {env: CERT}}
      """;

  static ServerConfig parse(String yaml) {
    return new ConfigLoader(Map.of("CERT", ConfigLoaderTest.CERT)::get).parse(APPS + yaml, Path.of("."));
  }

  @Test
  void defaultsAreSaneWithoutAnyKey() {
    ServerConfig.Limits l = parse("").limits();
    assertThat(l.requestMessageTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(l.perCaller()).isEqualTo(new CallerQuota(OptionalInt.of(64), Optional.of(Rate.UNLIMITED)));
    assertThat(l.http2()).isEqualTo(ServerConfig.Http2.DEFAULTS);
  }

  @Test
  void everyKeyIsRead() {
    ServerConfig c = parse("""
        limits:
          request_message_timeout_ms: 750
          per_caller: {max_concurrent_calls: 8, calls_per_second: 100, burst: 300}
          http2:
            max_concurrent_streams: 50
            permit_keepalive_time_seconds: 10
            permit_keepalive_without_calls: true
            max_connection_idle_seconds: 60
            max_connection_age_seconds: 600
            max_connection_age_grace_seconds: 15
        callers:
          - identity: a
            apps: [rtc]
            rpcs: ["*"]
            limits: {calls_per_second: 5}
          - identity: b
            apps: [rtc]
            rpcs: ["*"]
            limits: {max_concurrent_calls: 2, calls_per_second: 0}
        """);
    ServerConfig.Limits l = c.limits();
    assertThat(l.requestMessageTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(l.perCaller()).isEqualTo(new CallerQuota(OptionalInt.of(8), Optional.of(new Rate(100, 300))));
    assertThat(l.http2()).isEqualTo(new ServerConfig.Http2(50, Duration.ofSeconds(10), true, Duration.ofSeconds(60),
        Duration.ofSeconds(600), Duration.ofSeconds(15)));
    // A caller's own values win; what it leaves out comes from limits.per_caller.
    assertThat(c.caller("a").orElseThrow().quota().orElse(l.perCaller()))
        .isEqualTo(new CallerQuota(OptionalInt.of(8), Optional.of(new Rate(5, 5))));
    assertThat(c.caller("b").orElseThrow().quota().orElse(l.perCaller()))
        .isEqualTo(new CallerQuota(OptionalInt.of(2), Optional.of(Rate.UNLIMITED)));
  }

  @Test
  void aDuplicateKeyIsRefusedNamingItAtAnyDepth() {
    assertThatThrownBy(() -> parse("limits: {max_concurrent_calls: 5}\nlimits: {max_concurrent_calls: 6}\n"))
        .hasMessageContaining("limits").hasMessageContaining("given twice");
    assertThatThrownBy(() -> parse("limits: {per_caller: {burst: 2, calls_per_second: 1, burst: 3}}\n"))
        .hasMessageContaining("burst").hasMessageContaining("given twice");
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> parse("limits: {request_message_timeout_ms: 0}\n"))
        .hasMessageContaining("limits.request_message_timeout_ms");
    assertThatThrownBy(() -> parse("limits: {per_caller: {burst: 3}}\n"))
        .hasMessageContaining("limits.per_caller.burst").hasMessageContaining("calls_per_second");
    assertThatThrownBy(() -> parse("limits: {http2: {max_concurrent_streams: 0}}\n"))
        .hasMessageContaining("limits.http2.max_concurrent_streams");
    assertThatThrownBy(() -> parse("limits: {http2: {max_streams: 5}}\n"))
        .hasMessageContaining("limits.http2.max_streams");
  }
}
