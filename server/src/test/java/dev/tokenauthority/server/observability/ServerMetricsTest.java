package dev.tokenauthority.server.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.server.audit.AuditEvent;
import dev.tokenauthority.server.config.ConfigHolder;
import dev.tokenauthority.server.config.DevelopmentConfig;
import dev.tokenauthority.testing.MutableClock;
import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Admission refusals, configuration reloads and age, and label values bounded to configured sets. */
class ServerMetricsTest {
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
      .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build()).build();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T08:00:00Z"));
  private final ServerMetrics metrics = new ServerMetrics(sdk,
      new ConfigHolder(DevelopmentConfig.create(new SecureRandom())), clock);

  @AfterEach
  void close() {
    sdk.close();
  }

  @Test
  void admissionRefusalsAreCountedWithABoundedCaller() {
    metrics.admissionRefused("SERVER_BUSY", null);
    metrics.admissionRefused("SERVER_BUSY", null);
    metrics.admissionRefused("CALLER_RATE_LIMITED", "local");
    metrics.admissionRefused("CALLER_RATE_LIMITED", "spiffe://made-up/by-a-stranger");
    Collection<MetricData> all = reader.collectAllMetrics();
    assertThat(sum(all, "tokenauthority.admission.refused", attrs("reason", "SERVER_BUSY", "caller", "none"))).isEqualTo(2);
    assertThat(sum(all, "tokenauthority.admission.refused", attrs("reason", "CALLER_RATE_LIMITED", "caller", "local")))
        .isEqualTo(1);
    assertThat(sum(all, "tokenauthority.admission.refused", attrs("reason", "CALLER_RATE_LIMITED", "caller", "other")))
        .isEqualTo(1);
  }

  @Test
  void reloadsAreCountedAndAnAppliedOneRestartsTheConfigAge() {
    clock.advance(Duration.ofSeconds(100));
    assertThat(gauge(reader.collectAllMetrics(), "tokenauthority.config.age")).isEqualTo(100);
    metrics.configReload(false);
    clock.advance(Duration.ofSeconds(20));
    assertThat(gauge(reader.collectAllMetrics(), "tokenauthority.config.age")).isEqualTo(120);
    metrics.configReload(true);
    clock.advance(Duration.ofSeconds(5));
    Collection<MetricData> all = reader.collectAllMetrics();
    assertThat(gauge(all, "tokenauthority.config.age")).isEqualTo(5);
    assertThat(sum(all, "tokenauthority.config.reloads", attrs("outcome", "applied"))).isEqualTo(1);
    assertThat(sum(all, "tokenauthority.config.reloads", attrs("outcome", "refused"))).isEqualTo(1);
  }

  @Test
  void labelValuesComeFromConfiguredOrFixedSetsOnly() {
    metrics.onAudited(AuditEvent.builder("IssueRtcToken", "intruder").app("not-an-app").kind("weird")
        .failed(Status.Code.INVALID_ARGUMENT, "lower case is not a reason"));
    metrics.onAudited(AuditEvent.builder("MadeUpRpc", "local").app("agora").kind("rtc").lifetimeSeconds(60).ok());
    Collection<MetricData> all = reader.collectAllMetrics();
    assertThat(sum(all, "tokenauthority.tokens.refused", attrs("rpc", "IssueRtcToken", "vendor", "none",
        "app", "other", "caller", "other", "code", "INVALID_ARGUMENT", "reason", "other"))).isEqualTo(1);
    assertThat(sum(all, "tokenauthority.tokens.issued", attrs("vendor", "agora", "kind", "rtc", "app", "agora",
        "caller", "local"))).isEqualTo(1);
  }

  private static Attributes attrs(String... kv) {
    var b = Attributes.builder();
    for (int i = 0; i < kv.length; i += 2) {
      b.put(AttributeKey.stringKey(kv[i]), kv[i + 1]);
    }
    return b.build();
  }

  private static long sum(Collection<MetricData> all, String name, Attributes exact) {
    return all.stream().filter(m -> m.getName().equals(name))
        .flatMap(m -> m.getLongSumData().getPoints().stream())
        .filter(p -> p.getAttributes().equals(exact))
        .mapToLong(p -> p.getValue()).sum();
  }

  private static double gauge(Collection<MetricData> all, String name) {
    return all.stream().filter(m -> m.getName().equals(name))
        .flatMap(m -> m.getDoubleGaugeData().getPoints().stream()).findFirst().orElseThrow().getValue();
  }
}
