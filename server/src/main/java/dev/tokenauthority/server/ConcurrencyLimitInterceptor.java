package dev.tokenauthority.server;

import dev.tokenauthority.server.errors.ApiException;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/** Caps calls in progress; beyond the cap a call gets RESOURCE_EXHAUSTED SERVER_BUSY at once, not a queue slot. */
final class ConcurrencyLimitInterceptor implements ServerInterceptor {
  private final Semaphore permits;

  ConcurrencyLimitInterceptor(int maxConcurrentCalls) {
    this.permits = new Semaphore(maxConcurrentCalls);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!permits.tryAcquire()) {
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
    } catch (RuntimeException e) {
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
}
