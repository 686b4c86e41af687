package dev.tokenauthority.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Gives every call without a deadline of its own the client's default one. */
final class DefaultDeadlineInterceptor implements ClientInterceptor {
  private final long nanos;

  DefaultDeadlineInterceptor(Duration deadline) {
    this.nanos = deadline.toNanos();
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    CallOptions options = callOptions.getDeadline() == null
        ? callOptions.withDeadlineAfter(nanos, TimeUnit.NANOSECONDS)
        : callOptions;
    return next.newCall(method, options);
  }
}
