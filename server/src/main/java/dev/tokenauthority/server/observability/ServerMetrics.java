package dev.tokenauthority.server.observability;

import dev.tokenauthority.server.audit.AuditEvent;
import dev.tokenauthority.server.config.ConfigHolder;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service's own instruments (docs/observability.md lists them with their labels). Fed from the
 * audit events (every audited call, refusals before a handler included), admission refusals,
 * configuration reloads and the token core's timings ({@link VendorMetrics} has the vendor calls). Label
 * values are bounded by {@link LabelValues}.
 */
public final class ServerMetrics {
  public static final String SCOPE = "dev.tokenauthority.server";
  static final AttributeKey<String> RPC = AttributeKey.stringKey("rpc");
  static final AttributeKey<String> VENDOR = AttributeKey.stringKey("vendor");
  static final AttributeKey<String> KIND = AttributeKey.stringKey("kind");
  static final AttributeKey<String> APP = AttributeKey.stringKey("app");
  static final AttributeKey<String> CALLER = AttributeKey.stringKey("caller");
  static final AttributeKey<String> CODE = AttributeKey.stringKey("code");
  static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
  static final AttributeKey<String> FORMAT = AttributeKey.stringKey("format");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("operation");

  /** Token lifetimes (s): a minute to the 24 h vendor maximum. */
  private static final List<Double> LIFETIME_BUCKETS = List.of(60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0,
      14400.0, 43200.0, 86400.0);
  /** Token core work (s): microseconds, not milliseconds. */
  private static final List<Double> CORE_BUCKETS = List.of(0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1,
      0.000_25, 0.000_5, 0.001, 0.005, 0.025);

  private final LabelValues labels;
  private final Clock clock;
  private final LongCounter issued;
  private final LongCounter renewed;
  private final LongCounter inspected;
  private final LongCounter refused;
  private final DoubleHistogram lifetime;
  private final DoubleHistogram core;
  private final LongCounter admission;
  private final LongCounter reloads;
  private final AtomicReference<Instant> configSince;
  private final AttributeSets<TokenLabels> tokenLabels = new AttributeSets<>(
      k -> Attributes.of(VENDOR, k.vendor, KIND, k.kind, APP, k.app, CALLER, k.caller));
  private final AttributeSets<LifetimeLabels> lifetimeLabels = new AttributeSets<>(
      k -> Attributes.of(VENDOR, k.vendor, KIND, k.kind));
  private final AttributeSets<String> buildLabels = new AttributeSets<>(
      format -> Attributes.of(OPERATION, "build", FORMAT, format));
  private final AttributeSets<String> verifyLabels = new AttributeSets<>(
      format -> Attributes.of(OPERATION, "verify", FORMAT, format));

  /** The labels of a token counted as issued, renewed or inspected (all bounded values). */
  private record TokenLabels(String vendor, String kind, String app, String caller) {}

  /** The labels of a token lifetime observation. */
  private record LifetimeLabels(String vendor, String kind) {}

  public ServerMetrics(OpenTelemetry otel, ConfigHolder config, Clock clock) {
    this.labels = new LabelValues(config);
    this.clock = clock;
    this.configSince = new AtomicReference<>(clock.instant());
    Meter m = otel.getMeter(SCOPE);
    issued = m.counterBuilder("tokenauthority.tokens.issued").setUnit("{token}")
        .setDescription("Tokens issued, by vendor, kind, app and caller").build();
    renewed = m.counterBuilder("tokenauthority.tokens.renewed").setUnit("{token}")
        .setDescription("Tokens renewed, by vendor, kind, app and caller").build();
    inspected = m.counterBuilder("tokenauthority.tokens.inspected").setUnit("{token}")
        .setDescription("Tokens inspected, by vendor, kind, app and caller").build();
    refused = m.counterBuilder("tokenauthority.tokens.refused").setUnit("{call}")
        .setDescription("Token calls refused or failed, by rpc, vendor, app, caller, status code and reason").build();
    lifetime = m.histogramBuilder("tokenauthority.token.lifetime").setUnit("s")
        .setDescription("Lifetime of tokens issued and renewed").setExplicitBucketBoundariesAdvice(LIFETIME_BUCKETS)
        .build();
    core = m.histogramBuilder("tokenauthority.core.duration").setUnit("s")
        .setDescription("Token core build and verify time, by format").setExplicitBucketBoundariesAdvice(CORE_BUCKETS)
        .build();
    admission = m.counterBuilder("tokenauthority.admission.refused").setUnit("{call}")
        .setDescription("Calls refused before a handler (SERVER_BUSY, per-caller caps, rate limits)").build();
    reloads = m.counterBuilder("tokenauthority.config.reloads").setUnit("{reload}")
        .setDescription("Configuration reloads, by outcome (applied, refused)").build();
    // Series that exist from the start, so rate() and alerts see a 0 rather than nothing.
    admission.add(0, Attributes.of(REASON, "SERVER_BUSY", CALLER, LabelValues.NONE));
    reloads.add(0, Attributes.of(OUTCOME, "applied"));
    reloads.add(0, Attributes.of(OUTCOME, "refused"));
    m.gaugeBuilder("tokenauthority.config.age").setUnit("s")
        .setDescription("Seconds since the configuration in force was loaded")
        .buildWithCallback(g -> g.record(Duration.between(configSince.get(), clock.instant()).toMillis() / 1000.0));
  }

  /** Every audited call: counts it as issued, renewed, inspected or refused. */
  public void onAudited(AuditEvent e) {
    if (!e.code().equals("OK")) {
      refused.add(1, Attributes.builder()
          .put(RPC, LabelValues.rpc(e.rpc()))
          .put(VENDOR, labels.vendor(e.app()))
          .put(APP, labels.app(e.app()))
          .put(CALLER, labels.caller(e.caller()))
          .put(CODE, LabelValues.constant(java.util.Optional.of(e.code())))
          .put(REASON, LabelValues.constant(e.reason()))
          .build());
      return;
    }
    TokenLabels key = new TokenLabels(labels.vendor(e.app()), LabelValues.kind(e.kind()), labels.app(e.app()),
        labels.caller(e.caller()));
    Attributes a = tokenLabels.of(key);
    switch (e.rpc()) {
      case "RenewToken" -> renewed.add(1, a);
      case "InspectToken" -> inspected.add(1, a);
      default -> issued.add(1, a);
    }
    if (!e.rpc().equals("InspectToken") && e.lifetimeSeconds().isPresent()) {
      lifetime.record(e.lifetimeSeconds().get(), lifetimeLabels.of(new LifetimeLabels(key.vendor, key.kind)));
    }
  }

  /** Token core timing; {@code format} is a TokenFormat id, {@code operation} build or verify. */
  public void coreDuration(String operation, String format, long nanos) {
    Attributes a = switch (operation) {
      case "build" -> buildLabels.of(format);
      case "verify" -> verifyLabels.of(format);
      default -> Attributes.of(OPERATION, operation, FORMAT, format);
    };
    core.record(nanos / 1e9, a);
  }

  /**
   * A call refused before a handler (SERVER_BUSY, CALLER_BUSY, RATE_LIMITED,
   * REQUEST_MESSAGE_TIMEOUT; told by the server's AdmissionListener); {@code caller} null when the
   * refusal came before identity.
   */
  public void admissionRefused(String reason, String caller) {
    admission.add(1, Attributes.of(REASON, LabelValues.constant(java.util.Optional.ofNullable(reason)),
        CALLER, caller == null ? LabelValues.NONE : labels.caller(caller)));
  }

  /** A reload attempt's outcome: "applied" restarts the config age, "refused" keeps it. */
  public void configReload(boolean applied) {
    reloads.add(1, Attributes.of(OUTCOME, applied ? "applied" : "refused"));
    if (applied) {
      configSince.set(clock.instant());
    }
  }
}
