package dev.tokenauthority.server;

import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.observability.AdmissionRefusals;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * limits.max_concurrent_calls, decided before a call needs a handler thread. Admission must not
 * wait for the handler pool: with every handler thread blocked (e.g. in a vendor REST call), an
 * interceptor running on that pool would only run once a thread frees up, so calls beyond the
 * cap would queue instead of getting SERVER_BUSY, and health checks would queue behind them.
 *
 * <p>So the server's default executor is direct (the transport thread, which only ever runs
 * non-blocking work: admission, health, reflection, refusals), and this supplier, which grpc-java
 * calls before the call starts, takes a permit for each token-service call and moves that call to
 * the handler pool. A call without a permit stays on the transport thread, where {@link
 * #interceptor()} refuses it at once with RESOURCE_EXHAUSTED SERVER_BUSY. The permit comes back
 * when the call completes or is cancelled.
 */
final class CallAdmission implements ServerCallExecutorSupplier {
  /** Set by the supplier on admitted calls only; any value a client sends is discarded first. */
  private static final Metadata.Key<String> ADMITTED =
      Metadata.Key.of("tokenauthority-internal-admitted", Metadata.ASCII_STRING_MARSHALLER);

  private final String serviceName;
  private final Semaphore permits;
  private final Executor handlers;
  private final AdmissionRefusals refusals;

  CallAdmission(String serviceName, int maxConcurrentCalls, Executor handlers) {
    this(serviceName, maxConcurrentCalls, handlers, AdmissionRefusals.NONE);
  }

  CallAdmission(String serviceName, int maxConcurrentCalls, Executor handlers, AdmissionRefusals refusals) {
    this.serviceName = serviceName;
    this.permits = new Semaphore(maxConcurrentCalls);
    this.handlers = handlers;
    this.refusals = refusals;
  }

  /** Runs on the transport thread, before any interceptor; null keeps the call there. */
  @Override
  public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
    headers.discardAll(ADMITTED);
    if (!serviceName.equals(call.getMethodDescriptor().getServiceName())) {
      return null; // health and reflection: in-memory answers, never blocking
    }
    if (!permits.tryAcquire()) {
      return null; // refused by the interceptor, on this thread, without touching the pool
    }
    headers.put(ADMITTED, "1");
    return handlers;
  }

  /** The token service's outermost interceptor: refuses calls without a permit, returns permits. */
  ServerInterceptor interceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        boolean admitted = headers.containsKey(ADMITTED);
        headers.discardAll(ADMITTED);
        if (!admitted) {
          refusals.admissionRefused("SERVER_BUSY", null); // before identity: the caller is not known yet
          var sre = ApiException.of(Status.Code.RESOURCE_EXHAUSTED, null, "SERVER_BUSY",
              "too many calls in progress; retry with backoff").toStatusRuntimeException();
          call.close(sre.getStatus(), sre.getTrailers());
          return new ServerCall.Listener<>() {};
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
          if (released.compareAndSet(false, true)) {
            permits.release();
          }
        };
        ServerCall.Listener<Q> delegate;
        try {
          delegate = next.startCall(call, headers);
        } catch (RuntimeException | Error e) { // rethrown; the permit must not leak either way
          release.run();
          throw e;
        }
        return new SimpleForwardingServerCallListener<>(delegate) {
          @Override
          public void onComplete() {
            release.run();
            super.onComplete();
          }

          @Override
          public void onCancel() {
            release.run();
            super.onCancel();
          }
        };
      }
    };
  }

  /** Permits not taken (tests and diagnostics). */
  int available() {
    return permits.availablePermits();
  }
}
