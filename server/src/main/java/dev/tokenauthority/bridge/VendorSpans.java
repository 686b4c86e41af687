package dev.tokenauthority.bridge;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Optional;

/**
 * A CLIENT span per vendor REST attempt, child of the span current when the call was sent (the
 * RPC's server span), and the W3C {@code traceparent} of that span for the vendor's request. Only
 * {@code traceparent} goes out: a caller's {@code tracestate} and baggage are its own and are not
 * forwarded to a third party. Attributes are names and numbers (vendor, call, method, host, status):
 * never the URL path or query (user names), a body, or a header.
 */
public final class VendorSpans {
  /** No spans, no header. */
  public static final VendorSpans NONE = new VendorSpans(null);

  private final Tracer tracer;

  private VendorSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  public static VendorSpans of(OpenTelemetry otel) {
    return new VendorSpans(otel.getTracer("dev.tokenauthority.bridge"));
  }

  /** The trace context of the calling thread, to parent every attempt of one call. */
  Parent parent() {
    return new Parent(tracer == null ? Context.root() : Context.current());
  }

  record Parent(Context context) {}

  Attempt start(Parent parent, Vendor vendor, String operation, String method, int attempt) {
    if (tracer == null) {
      return Attempt.NONE;
    }
    Span span = tracer.spanBuilder(vendor.id() + " " + operation)
        .setParent(parent.context())
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute("tokenauthority.vendor", vendor.id())
        .setAttribute("tokenauthority.vendor.call", operation)
        .setAttribute("tokenauthority.vendor.attempt", attempt)
        .setAttribute("http.request.method", method)
        .startSpan();
    return new Attempt(span);
  }

  /** One attempt's span. */
  static final class Attempt {
    static final Attempt NONE = new Attempt(null);
    private final Span span;

    private Attempt(Span span) {
      this.span = span;
    }

    Optional<String> traceparent() {
      if (span == null || !span.getSpanContext().isValid()) {
        return Optional.empty();
      }
      SpanContext c = span.getSpanContext();
      return Optional.of("00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex());
    }

    void end(int httpStatus, String outcome) {
      if (span == null) {
        return;
      }
      if (httpStatus > 0) {
        span.setAttribute("http.response.status_code", httpStatus);
      }
      if (httpStatus >= 400 || httpStatus < 0) {
        span.setStatus(StatusCode.ERROR, httpStatus < 0 ? outcome : "HTTP " + httpStatus);
      }
      span.end();
    }
  }
}
