package dev.tokenauthority.server.testing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every unary call that has no deadline of its own one that starts with the call. A stub's
 * {@code withDeadlineAfter} fixes one instant when the stub is made, so a stub kept in a field
 * runs out for later calls once a slow (loaded) run has passed it; this never does. Streaming
 * calls are left alone: their tests bound them themselves.
 */
public final class PerCallDeadline implements ClientInterceptor {
  /** Roomy: a loaded 2-core machine running several builds at once can be slow to answer. */
  public static final Duration DEFAULT = Duration.ofSeconds(20);

  private final Duration timeout;

  public PerCallDeadline(Duration timeout) {
    this.timeout = timeout;
  }

  public static PerCallDeadline standard() {
    return new PerCallDeadline(DEFAULT);
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    if (options.getDeadline() == null && method.getType() == MethodDescriptor.MethodType.UNARY) {
      options = options.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    return next.newCall(method, options);
  }
}
