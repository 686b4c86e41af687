package dev.tokenauthority.server.limits;

import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.errors.Echo;
import dev.tokenauthority.server.errors.Refusal;
import dev.tokenauthority.server.policy.CallScope;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fairness between callers, once the caller and its policy are known (installed inside
 * PolicyInterceptor): a cap on each caller's calls in progress (RESOURCE_EXHAUSTED CALLER_BUSY), a
 * token bucket per caller (RESOURCE_EXHAUSTED RATE_LIMITED with google.rpc.RetryInfo), and a
 * deadline for the request message, so streams that send headers and nothing else are cancelled
 * (DEADLINE_EXCEEDED REQUEST_MESSAGE_TIMEOUT) instead of holding permits for ever. Limits come from
 * the call's configuration snapshot: {@code limits.per_caller} and the caller's own {@code limits}.
 */
public final class CallerLimits implements ServerInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(CallerLimits.class);
  private final CallerConcurrency concurrency = new CallerConcurrency();
  private final RateLimiter rates;
  private final RequestDeadlines deadlines;
  private final Consumer<Refusal> onRefused;
  private final AdmissionListener listener;

  /**
   * @param time the time source of rates and deadlines ({@link RateLimiter#monotonic()} in production)
   * @param requestMessageTimeout limits.request_message_timeout_ms (fixed until a restart)
   * @param onRefused audits every refusal and cancellation made here
   */
  public CallerLimits(InstantSource time, Duration requestMessageTimeout, Consumer<Refusal> onRefused,
      AdmissionListener listener) {
    this.rates = new RateLimiter(time);
    this.deadlines = new RequestDeadlines(time, requestMessageTimeout);
    this.onRefused = Objects.requireNonNull(onRefused);
    this.listener = Objects.requireNonNull(listener);
  }

  /** Sweeps request-message deadlines on {@code scheduler}, often enough to keep them within a quarter. */
  public CallerLimits sweepOn(ScheduledExecutorService scheduler) {
    long every = Math.max(TimeUnit.MILLISECONDS.toNanos(5),
        Math.min(TimeUnit.SECONDS.toNanos(1), deadlines.timeout().toNanos() / 4));
    scheduler.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.NANOSECONDS);
    return this;
  }

  private void sweepQuietly() {
    try {
      deadlines.sweep();
    } catch (RuntimeException e) { // a failed close must not end the sweeps for the life of the process
      LOG.warn("request-message deadline sweep failed", e);
    }
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    CallScope scope = CallScope.current();
    String caller = scope.caller().id();
    CallerQuota quota = scope.policy().quota().orElse(scope.config().limits().perCaller());
    int cap = quota.maxConcurrentCalls().orElse(Integer.MAX_VALUE);
    if (!concurrency.tryAcquire(caller, cap)) {
      return refuse(call, scope, ApiException.of(Status.Code.RESOURCE_EXHAUSTED, null, "CALLER_BUSY",
          "caller " + Echo.of(caller) + " has " + cap + " calls in progress, its limit; retry with backoff"));
    }
    Duration wait = rates.tryAcquire(caller, quota.rate().orElse(Rate.UNLIMITED));
    if (!wait.isZero()) {
      concurrency.release(caller);
      return refuse(call, scope, ApiException.of(Status.Code.RESOURCE_EXHAUSTED, null, "RATE_LIMITED",
          "caller " + Echo.of(caller) + " is over its rate of " + quota.rate().get().callsPerSecond()
              + " calls per second; retry after the RetryInfo delay").withRetryDelay(wait));
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        concurrency.release(caller);
      }
    };
    ServerCall.Listener<Q> delegate;
    try {
      delegate = next.startCall(call, headers);
    } catch (RuntimeException | Error e) { // rethrown; the caller's count must not leak either way
      release.run();
      throw e;
    }
    RequestDeadlines.Waiter waiter = deadlines.start(() -> refuse(call, scope, ApiException.of(
        Status.Code.DEADLINE_EXCEEDED, null, "REQUEST_MESSAGE_TIMEOUT",
        "no request message within " + deadlines.timeout().toMillis() + " ms of the call's start")));
    return new AwaitingRequest<>(delegate, waiter, release);
  }

  private <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, CallScope scope, ApiException e) {
    listener.refused(e.reason(), scope.caller().id());
    onRefused.accept(new Refusal(scope.caller().id(), scope.rpc(), e));
    var sre = e.toStatusRuntimeException();
    call.close(sre.getStatus(), sre.getTrailers());
    return new ServerCall.Listener<>() {};
  }

  /** Calls in progress for {@code caller} (tests). */
  int inProgress(String caller) {
    return concurrency.inProgress(caller);
  }

  /**
   * Forwards a call's events until its request-message deadline passes without a message or a
   * half-close; after that, only the end of the call, so the handler never runs on a call the
   * deadline closed.
   */
  private static final class AwaitingRequest<Q> extends SimpleForwardingServerCallListener<Q> {
    private final RequestDeadlines.Waiter waiter;
    private final Runnable release;

    AwaitingRequest(ServerCall.Listener<Q> delegate, RequestDeadlines.Waiter waiter, Runnable release) {
      super(delegate);
      this.waiter = waiter;
      this.release = release;
    }

    @Override
    public void onMessage(Q message) {
      if (waiter.deliver()) {
        super.onMessage(message);
      }
    }

    @Override
    public void onHalfClose() {
      if (waiter.deliver()) {
        super.onHalfClose();
      }
    }

    @Override
    public void onReady() {
      if (!waiter.timedOut()) {
        super.onReady();
      }
    }

    @Override
    public void onCancel() {
      waiter.deliver(); // settled: the sweep drops it
      release.run();
      super.onCancel();
    }

    @Override
    public void onComplete() {
      waiter.deliver();
      release.run();
      super.onComplete();
    }
  }
}
