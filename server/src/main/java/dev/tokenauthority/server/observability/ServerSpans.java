package dev.tokenauthority.server.observability;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Collections;

/**
 * A SERVER span per token-service call, child of the caller's W3C {@code traceparent} when it
 * sends one. The span is current on whatever thread runs each step of the call (the handler pool
 * for admitted calls), so the vendor bridges' client spans become its children.
 *
 * <p>Attributes are the RPC's names and the status code only: never a request field, a status
 * description (it may echo caller input) or metadata.
 */
final class ServerSpans implements ServerInterceptor {
  private static final TextMapGetter<Metadata> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Metadata m) {
      return m == null ? Collections.emptyList() : m.keys();
    }

    @Override
    public String get(Metadata m, String key) {
      return m == null || key.endsWith(Metadata.BINARY_HEADER_SUFFIX) ? null
          : m.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
    }
  };

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  ServerSpans(OpenTelemetry otel) {
    this.tracer = otel.getTracer(ServerMetrics.SCOPE);
    this.propagator = otel.getPropagators().getTextMapPropagator();
  }

  static ServerInterceptor passThrough() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata h, ServerCallHandler<Q, R> next) {
        return next.startCall(call, h);
      }
    };
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Context parent = propagator.extract(Context.root(), headers, HEADERS);
    Span span = tracer.spanBuilder(method)
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute("rpc.system", "grpc")
        .setAttribute("rpc.service", call.getMethodDescriptor().getServiceName())
        .setAttribute("rpc.method", call.getMethodDescriptor().getBareMethodName())
        .startSpan();
    Context context = parent.with(span);
    ServerCall<Q, R> traced = new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        span.setAttribute("rpc.grpc.status_code", status.getCode().value());
        if (!status.isOk()) {
          span.setStatus(StatusCode.ERROR, status.getCode().name());
        }
        span.end();
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<Q> delegate;
    try (Scope ignored = context.makeCurrent()) {
      delegate = next.startCall(traced, headers);
    }
    return new SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onMessage(Q message) {
        try (Scope ignored = context.makeCurrent()) {
          super.onMessage(message);
        }
      }

      @Override
      public void onHalfClose() {
        try (Scope ignored = context.makeCurrent()) {
          super.onHalfClose();
        }
      }

      @Override
      public void onCancel() {
        try (Scope ignored = context.makeCurrent()) {
          span.setStatus(StatusCode.ERROR, "CANCELLED");
          span.end();
          super.onCancel();
        }
      }

      @Override
      public void onComplete() {
        try (Scope ignored = context.makeCurrent()) {
          super.onComplete();
        }
      }

      @Override
      public void onReady() {
        try (Scope ignored = context.makeCurrent()) {
          super.onReady();
        }
      }
    };
  }
}
