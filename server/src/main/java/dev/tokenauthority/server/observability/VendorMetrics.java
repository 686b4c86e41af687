package dev.tokenauthority.server.observability;

import dev.tokenauthority.bridge.VendorCallEvent;
import dev.tokenauthority.bridge.VendorCallListener;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;

/** Vendor REST attempts (every send, retries included) by vendor, call and outcome, and their latency. */
final class VendorMetrics {
  static final AttributeKey<String> CALL = AttributeKey.stringKey("call");
  private static final List<Double> BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

  private final LongCounter calls;
  private final DoubleHistogram latency;
  private final LongCounter appTokenRefreshes;

  VendorMetrics(OpenTelemetry otel) {
    Meter m = otel.getMeter(ServerMetrics.SCOPE);
    calls = m.counterBuilder("tokenauthority.vendor.calls").setUnit("{request}")
        .setDescription("Vendor REST attempts, by vendor, call and outcome").build();
    latency = m.histogramBuilder("tokenauthority.vendor.call.duration").setUnit("s")
        .setDescription("Vendor REST attempt latency, by vendor, call and outcome")
        .setExplicitBucketBoundariesAdvice(BUCKETS).build();
    appTokenRefreshes = m.counterBuilder("tokenauthority.vendor.app_token.refreshes").setUnit("{token}")
        .setDescription("App tokens fetched from a vendor for its REST API").build();
  }

  VendorCallListener listener() {
    return this::onAttempt;
  }

  private void onAttempt(VendorCallEvent e) {
    String call = LabelValues.operation(e.operation());
    // outcome is one of the bridge's fixed names (OK, RETRY, HTTP_ERROR, TIMEOUT, ...)
    Attributes a = Attributes.of(ServerMetrics.VENDOR, e.vendor().id(), CALL, call,
        ServerMetrics.OUTCOME, LabelValues.constant(java.util.Optional.of(e.outcome())));
    calls.add(1, a);
    latency.record(e.elapsed().toNanos() / 1e9, a);
    if (call.endsWith(".app_token") && e.outcome().equals("OK")) {
      appTokenRefreshes.add(1, Attributes.of(ServerMetrics.VENDOR, e.vendor().id()));
    }
  }
}
