package dev.tokenauthority.server.observability;

import dev.tokenauthority.bridge.VendorCallListener;
import dev.tokenauthority.server.config.ObservabilityConfig;
import dev.tokenauthority.server.config.ServerConfig;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.opentelemetry.GrpcOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK of one server: metrics always (gRFC A66 call metrics from
 * grpc-opentelemetry plus {@link ServerMetrics}), exported as Prometheus text at /metrics when
 * {@code metrics.listen} is set and over OTLP when the standard {@code OTEL_*} variables ask for it;
 * traces only when {@code tracing.enabled}. Built with the SDK's autoconfiguration, so every
 * documented {@code OTEL_*} variable works; our defaults only switch exporters off unless asked.
 */
public final class Telemetry implements AutoCloseable {
  private final OpenTelemetry otel;
  private final boolean tracing;
  private final OpenTelemetrySdk ownedSdk;
  private final PrometheusMetricReader prometheus;
  private final Optional<ServerConfig.Listen> metricsListen;
  private HTTPServer http;

  private Telemetry(OpenTelemetry otel, boolean tracing, OpenTelemetrySdk ownedSdk,
      PrometheusMetricReader prometheus, Optional<ServerConfig.Listen> metricsListen) {
    this.otel = otel;
    this.tracing = tracing;
    this.ownedSdk = ownedSdk;
    this.prometheus = prometheus;
    this.metricsListen = metricsListen;
  }

  /**
   * The production SDK for this configuration. The SDK reads the {@code OTEL_*} environment
   * variables (and {@code otel.*} system properties) itself; here exporters default to none unless
   * an OTLP endpoint is given, and traces are exported only when tracing is enabled.
   */
  public static Telemetry create(ObservabilityConfig cfg) {
    if (cfg.metrics().listen().isEmpty() && !cfg.tracing().enabled() && !otelConfigured()) {
      return noop(); // nothing would read the instruments: no SDK, no exporter threads
    }
    PrometheusMetricReader prometheus = cfg.metrics().listen().isPresent()
        ? PrometheusMetricReader.builder().setOtelScopeLabelsEnabled(false).build() : null;
    boolean tracing = cfg.tracing().enabled();
    double ratio = cfg.tracing().sampleRatio();
    OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> Map.of(
            "otel.service.name", "token-authority",
            // The JDK HttpClient sender (no OkHttp, no gRPC sender): OTLP over HTTP, port 4318.
            "otel.exporter.otlp.protocol", "http/protobuf",
            // W3C trace context only: baggage from callers is not ours to carry on to vendors.
            "otel.propagators", "tracecontext"))
        .addPropertiesCustomizer(c -> exporterDefaults(c, tracing))
        .addMeterProviderCustomizer((b, c) -> prometheus == null ? b : b.registerMetricReader(prometheus))
        .addSamplerCustomizer((s, c) -> c.getString("otel.traces.sampler") != null ? s
            : Sampler.parentBased(Sampler.traceIdRatioBased(ratio)))
        .disableShutdownHook() // TokenAuthorityServer.stop() flushes and closes it after the drain
        .build()
        .getOpenTelemetrySdk();
    return new Telemetry(sdk, tracing, sdk, prometheus, cfg.metrics().listen());
  }

  /** Whether any OTEL_* variable or otel.* system property asks the SDK for something. */
  private static boolean otelConfigured() {
    return System.getenv().keySet().stream().anyMatch(k -> k.startsWith("OTEL_"))
        || System.getProperties().stringPropertyNames().stream().anyMatch(k -> k.startsWith("otel."));
  }

  /** OTLP when an endpoint is configured, else no exporter (the SDK's own default would be OTLP to localhost). */
  private static Map<String, String> exporterDefaults(ConfigProperties c, boolean tracing) {
    boolean otlp = c.getString("otel.exporter.otlp.endpoint") != null;
    Map<String, String> m = new HashMap<>();
    if (c.getString("otel.metrics.exporter") == null) {
      m.put("otel.metrics.exporter", otlp || c.getString("otel.exporter.otlp.metrics.endpoint") != null ? "otlp" : "none");
    }
    if (c.getString("otel.traces.exporter") == null || !tracing) {
      m.put("otel.traces.exporter", tracing && (otlp || c.getString("otel.exporter.otlp.traces.endpoint") != null)
          ? "otlp" : "none");
    }
    if (c.getString("otel.logs.exporter") == null) {
      m.put("otel.logs.exporter", "none");
    }
    return m;
  }

  /** Over an SDK the caller built and owns (tests: in-memory readers and span exporters). */
  public static Telemetry of(OpenTelemetry otel, boolean tracing) {
    return new Telemetry(otel, tracing, null, null, Optional.empty());
  }

  /** Metrics and traces nowhere (no SDK). */
  public static Telemetry noop() {
    return of(OpenTelemetry.noop(), false);
  }

  public OpenTelemetry openTelemetry() {
    return otel;
  }

  public boolean tracing() {
    return tracing;
  }

  /** gRFC A66 metrics: grpc.server.call.started, .duration, message sizes, by method and status. */
  public void configureServer(ServerBuilder<?> builder) {
    GrpcOpenTelemetry.newBuilder().sdk(otel).build().configureServerBuilder(builder);
  }

  /** A server span per RPC (outermost interceptor of the token service); a pass-through when off. */
  public ServerInterceptor serverTracing() {
    return tracing ? new ServerSpans(otel) : ServerSpans.passThrough();
  }

  /** Vendor REST attempts into metrics; give it to the vendor bridges. */
  public VendorCallListener vendorCallMetrics() {
    return new VendorMetrics(otel).listener();
  }

  /**
   * The chat user directory's cache (Agora Chat user name to UUID), as counted by the bridges:
   * tokenauthority.chat_user_directory.lookups by result (hit, miss).
   */
  public void observeChatUserCache(java.util.function.LongSupplier hits, java.util.function.LongSupplier misses) {
    var key = io.opentelemetry.api.common.AttributeKey.stringKey("result");
    otel.getMeter(ServerMetrics.SCOPE).counterBuilder("tokenauthority.chat_user_directory.lookups")
        .setUnit("{lookup}")
        .setDescription("Agora Chat user name lookups, by result: hit (cached UUID) or miss (asked the vendor)")
        .buildWithCallback(c -> {
          c.record(hits.getAsLong(), io.opentelemetry.api.common.Attributes.of(key, "hit"));
          c.record(misses.getAsLong(), io.opentelemetry.api.common.Attributes.of(key, "miss"));
        });
  }

  /** Binds /metrics when configured; returns where it listens. */
  public synchronized Optional<InetSocketAddress> startMetricsEndpoint() throws IOException {
    if (prometheus == null || metricsListen.isEmpty()) {
      return Optional.empty();
    }
    if (http == null) {
      PrometheusRegistry registry = new PrometheusRegistry();
      registry.register(prometheus);
      ServerConfig.Listen at = metricsListen.get();
      try {
        http = HTTPServer.builder().hostname(at.host()).port(at.port()).registry(registry).buildAndStart();
      } catch (IOException e) {
        // The bare "Address already in use" named neither the listener nor the port.
        throw new IOException("metrics.listen: cannot listen on " + at.host() + ":" + at.port() + ": "
            + e.getMessage(), e);
      }
    }
    return Optional.of(new InetSocketAddress(metricsListen.get().host(), http.getPort()));
  }

  @Override
  public synchronized void close() {
    if (http != null) {
      http.close();
      http = null;
    }
    if (ownedSdk != null) {
      ownedSdk.shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}
