package dev.tokenauthority.server.observability;

import dev.tokenauthority.server.audit.AuditLog;
import dev.tokenauthority.server.audit.AuditWriter;
import dev.tokenauthority.server.config.ConfigHolder;
import dev.tokenauthority.server.config.ObservabilityConfig;
import dev.tokenauthority.server.tokens.TokenEngine;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;

/**
 * Everything a server needs for logs, audit, metrics and traces, so TokenAuthorityServer wires it
 * in a few lines: the asynchronous audit stream, the metric instruments, gRPC call metrics and
 * server spans, and the /metrics endpoint. Closing it writes out queued audit lines and flushes
 * the exporters.
 */
public final class ServerObservability implements AutoCloseable {
  private final Telemetry telemetry;
  private final ServerMetrics metrics;
  private final AuditWriter auditWriter;
  private final AuditLog auditLog;

  public ServerObservability(Telemetry telemetry, ConfigHolder config, Clock clock) {
    this.telemetry = telemetry;
    this.metrics = new ServerMetrics(telemetry.openTelemetry(), config, clock);
    ObservabilityConfig.Audit audit = config.get().observability().audit();
    this.auditWriter = new AuditWriter(audit.queueSize(), audit.overflow() == ObservabilityConfig.AuditOverflow.DROP
        ? AuditWriter.Overflow.DROP : AuditWriter.Overflow.BLOCK);
    this.auditLog = new AuditLog(clock, auditWriter, metrics::onAudited);
    Meter meter = telemetry.openTelemetry().getMeter(ServerMetrics.SCOPE);
    AttributeKey<String> reason = AttributeKey.stringKey("reason");
    Attributes queueFull = Attributes.of(reason, "queue_full");
    Attributes writeFailed = Attributes.of(reason, "write_failed");
    meter.counterBuilder("tokenauthority.audit.dropped").setUnit("{line}")
        .setDescription("Audit lines lost: the queue was full (audit.overflow: drop) or the sink failed to write them")
        .buildWithCallback(c -> {
          c.record(auditWriter.dropped(), queueFull);
          c.record(auditWriter.failed(), writeFailed);
        });
    meter.gaugeBuilder("tokenauthority.audit.queued").ofLongs().setUnit("{line}")
        .setDescription("Audit lines waiting to be written")
        .buildWithCallback(g -> g.record(auditWriter.queued()));
    new ExpiryGauges(meter, config, clock);
  }

  public AuditLog auditLog() {
    return auditLog;
  }

  public ServerMetrics metrics() {
    return metrics;
  }

  /** The engine, timed per format. */
  public TokenEngine timed(TokenEngine engine) {
    return new TimedTokenEngine(engine, metrics);
  }

  /** gRFC A66 call metrics on the server. */
  public void configure(ServerBuilder<?> builder) {
    telemetry.configureServer(builder);
  }

  /** The token service's outermost interceptor (a span per call when tracing is on). */
  public ServerInterceptor tracing() {
    return telemetry.serverTracing();
  }

  /** Starts /metrics when configured. */
  public Optional<InetSocketAddress> start() throws IOException {
    return telemetry.startMetricsEndpoint();
  }

  @Override
  public void close() {
    auditWriter.close();
    telemetry.close();
  }
}
