package dev.tokenauthority.client;

import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.IssuedToken;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * Keeps one token fresh, the way vendor SDKs expect: Agora's {@code onTokenPrivilegeWillExpire}
 * and ZEGO's / Easemob's {@code tokenWillExpire} fire shortly before a token (or its earliest
 * privilege) runs out, and the app must then hand the SDK a new one ({@code renewToken}).
 *
 * <p>The renewer calls the renew function (normally RenewToken) {@code leadTime} plus a random
 * jitter of up to {@code maxJitter} before the token's earliest expiry, so that a fleet does not
 * renew in lockstep, and passes each new token to {@link Listener#onTokenRenewed}. For short
 * tokens the lead is capped at half the remaining lifetime (and the jitter at half of what is
 * left), so a token shorter than the lead time is still renewed once per half-life, never in a
 * loop. A failed attempt is retried after an exponential backoff with equal jitter (the delay
 * {@code initialBackoff} doubling per failure, capped at {@code maxBackoff}, less a random part
 * of up to half of it, so a fleet that lost the server together does not retry in lockstep) and
 * reported to {@link Listener#onRenewalFailed}; when the earliest expiry passes with no
 * successful renewal, {@link Listener#onTokenExpired} is called once for that token and retries
 * go on: through the issue function when one was given (an expired token may be past the
 * server's renewal grace), else through renewal.
 *
 * <p>A failure that asking again cannot fix is <em>permanent</em>: a gRPC status of
 * INVALID_ARGUMENT, PERMISSION_DENIED, FAILED_PRECONDITION (e.g. {@code TOKEN_EXPIRED} past the
 * renewal grace), NOT_FOUND or UNIMPLEMENTED. A permanent refusal of RenewToken moves to the
 * issue function when one was given; otherwise, or when issuing is refused permanently too, the
 * renewer stops making attempts and calls {@link Listener#onRenewalStopped} once. The expiry
 * watch stays, and {@link #renewNow()} starts attempts again (e.g. after the policy was fixed).
 * Every other failure (UNAVAILABLE, DEADLINE_EXCEEDED, UNAUTHENTICATED while a client
 * certificate is rotated, any non-gRPC exception) is retried.
 *
 * <p>Renew and issue functions run on the scheduler's thread, outside the renewer's lock;
 * listener methods run under it, so they see a consistent state, must return quickly, and are
 * never called once {@link #close()} has returned.
 */
public final class TokenRenewer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(TokenRenewer.class.getName());

  /** Obtains a fresh token for the same identity and privileges, e.g. {@code client::renew}. */
  @FunctionalInterface
  public interface RenewFunction {
    IssuedToken renew(IssuedToken current) throws Exception;
  }

  /** Issues a brand-new token, e.g. {@code () -> client.issueRtcToken(request).getIssuedToken()}. */
  @FunctionalInterface
  public interface IssueFunction {
    IssuedToken issue() throws Exception;
  }

  /** What the application does with the renewer's news: typically hand the token to the SDK. */
  public interface Listener {
    /** A new token is available (also the first one, when the renewer issued it itself). */
    void onTokenRenewed(IssuedToken token);

    /** An attempt failed; the next one runs after {@code retryIn}. */
    default void onRenewalFailed(Throwable error, int consecutiveFailures, Duration retryIn) {}

    /** The token's earliest expiry passed before a renewal succeeded; the SDK will lose access. */
    default void onTokenExpired(IssuedToken expired) {}

    /**
     * A permanent failure (see the class comment): no more attempts until {@link #renewNow()}.
     * Called once per stop, instead of {@link #onRenewalFailed}.
     */
    default void onRenewalStopped(Throwable error) {}
  }

  /** gRPC codes that the same request will get again: retrying them only adds load. */
  private static final Set<Status.Code> PERMANENT = EnumSet.of(Status.Code.INVALID_ARGUMENT,
      Status.Code.PERMISSION_DENIED, Status.Code.FAILED_PRECONDITION, Status.Code.NOT_FOUND,
      Status.Code.UNIMPLEMENTED);

  private final RenewFunction renewFunction;
  private final IssueFunction issueFunction;
  private final Listener listener;
  private final Clock clock;
  private final RenewalScheduler scheduler;
  private final ScheduledExecutorService ownedExecutor;
  private final RandomGenerator random;
  private final Duration leadTime;
  private final Duration maxJitter;
  private final Duration initialBackoff;
  private final Duration maxBackoff;

  // Guarded by this.
  private IssuedToken current;
  private boolean started;
  private boolean closed;
  private boolean inFlight;
  private boolean expiredReported;
  private boolean stopped;
  private boolean renewalRefused; // RenewToken refused the current token for good: issue instead
  private int consecutiveFailures;
  private long generation;
  private RenewalScheduler.Cancellable pendingAttempt;
  private RenewalScheduler.Cancellable pendingExpiry;

  private TokenRenewer(Builder b) {
    this.renewFunction = b.renewFunction;
    this.issueFunction = b.issueFunction;
    this.listener = b.listener;
    this.clock = b.clock;
    this.random = b.random;
    this.leadTime = b.leadTime;
    this.maxJitter = b.maxJitter;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.current = b.initialToken;
    if (b.scheduler != null) {
      this.scheduler = b.scheduler;
      this.ownedExecutor = null;
    } else {
      this.ownedExecutor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "token-renewer");
        thread.setDaemon(true);
        return thread;
      });
      this.scheduler = RenewalScheduler.using(ownedExecutor);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts keeping the token fresh: schedules the first renewal of the initial token, or issues
   * the first token right away when only an issue function was given.
   */
  public synchronized TokenRenewer start() {
    if (closed) {
      throw new IllegalStateException("renewer is closed");
    }
    if (started) {
      throw new IllegalStateException("renewer already started");
    }
    started = true;
    if (current != null) {
      adopt(current, false);
    } else {
      scheduleAttempt(Duration.ZERO);
    }
    return this;
  }

  /** The latest token, or null before the first one was issued. */
  public synchronized IssuedToken currentToken() {
    return current;
  }

  /**
   * Renews as soon as possible, e.g. when the SDK reports the token expired or was rejected
   * earlier than its expiry said, or to try again after {@link Listener#onRenewalStopped}.
   * Ignored while an attempt is already running.
   */
  public synchronized void renewNow() {
    if (!started || closed || inFlight) {
      return;
    }
    stopped = false;
    consecutiveFailures = 0;
    cancel(pendingAttempt);
    scheduleAttempt(Duration.ZERO);
  }

  /** Stops: pending attempts are cancelled and the listener hears nothing more. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    generation++;
    cancel(pendingAttempt);
    cancel(pendingExpiry);
    pendingAttempt = null;
    pendingExpiry = null;
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
  }

  /** Makes {@code token} current and schedules its renewal and its expiry watch. */
  private void adopt(IssuedToken token, boolean notify) {
    Instant expiry = expiryOf(token);
    Instant now = clock.instant();
    current = token;
    consecutiveFailures = 0;
    expiredReported = false;
    stopped = false;
    renewalRefused = false;
    generation++;
    cancel(pendingAttempt);
    cancel(pendingExpiry);
    long gen = generation;
    Duration remaining = Duration.between(now, expiry);
    pendingExpiry = scheduler.schedule(() -> onExpiryDue(gen), nonNegative(remaining));
    scheduleAttempt(renewalDelay(remaining));
    if (notify) {
      notifyRenewed(token);
    }
  }

  /** Delay from now to the renewal: lead time plus jitter ahead of expiry, bounded for short tokens. */
  private Duration renewalDelay(Duration remaining) {
    if (remaining.isNegative() || remaining.isZero()) {
      return Duration.ZERO;
    }
    Duration lead = min(leadTime, remaining.dividedBy(2));
    Duration jitterCap = min(maxJitter, remaining.minus(lead).dividedBy(2));
    long jitterNanos = (long) (random.nextDouble() * jitterCap.toNanos());
    return remaining.minus(lead).minusNanos(jitterNanos);
  }

  private void scheduleAttempt(Duration delay) {
    long gen = generation;
    pendingAttempt = scheduler.schedule(() -> attempt(gen), delay);
  }

  private void attempt(long gen) {
    IssuedToken token;
    boolean issue;
    synchronized (this) {
      if (closed || stopped || gen != generation || inFlight) {
        return;
      }
      inFlight = true;
      token = current;
      // An expired token may be past the server's renewal grace: issue afresh when we can.
      issue = token == null || (issueFunction != null
          && (renewalRefused || !clock.instant().isBefore(expiryOf(token))));
    }
    IssuedToken fresh = null;
    Throwable failure = null;
    try {
      fresh = issue ? issueFunction.issue() : renewFunction.renew(token);
      if (fresh == null) {
        throw new IllegalStateException("renew/issue function returned no token");
      }
      if (!clock.instant().isBefore(expiryOf(fresh))) {
        throw new IllegalStateException("new token is already expired");
      }
    } catch (Exception e) {
      failure = e;
    }
    synchronized (this) {
      inFlight = false;
      if (closed) {
        return;
      }
      if (failure == null) {
        adopt(fresh, true);
        return;
      }
      cancel(pendingAttempt);
      pendingAttempt = null;
      if (isPermanent(failure)) {
        if (issue || issueFunction == null) {
          stopped = true;
          try {
            listener.onRenewalStopped(failure);
          } catch (RuntimeException e) {
            logListenerFailure(e);
          }
          return;
        }
        renewalRefused = true; // the next attempt issues a new token
      }
      consecutiveFailures++;
      Duration retryIn = jitteredBackoff(consecutiveFailures);
      scheduleAttempt(retryIn);
      try {
        listener.onRenewalFailed(failure, consecutiveFailures, retryIn);
      } catch (RuntimeException e) {
        logListenerFailure(e);
      }
    }
  }

  static boolean isPermanent(Throwable failure) {
    return PERMANENT.contains(Status.fromThrowable(failure).getCode());
  }

  private synchronized void onExpiryDue(long gen) {
    if (closed || gen != generation || expiredReported || current == null) {
      return;
    }
    expiredReported = true;
    try {
      listener.onTokenExpired(current);
    } catch (RuntimeException e) {
      logListenerFailure(e);
    }
  }

  private void notifyRenewed(IssuedToken token) {
    try {
      listener.onTokenRenewed(token);
    } catch (RuntimeException e) {
      logListenerFailure(e);
    }
  }

  /** Equal jitter: half of {@link #backoff(int)} plus a random part of the other half. */
  private Duration jitteredBackoff(int failures) {
    Duration cap = backoff(failures);
    Duration half = cap.dividedBy(2);
    return half.plusNanos((long) (random.nextDouble() * cap.minus(half).toNanos()));
  }

  /** initialBackoff * 2^(n-1), capped at maxBackoff: the longest the n-th retry waits. */
  Duration backoff(int failures) {
    Duration delay = initialBackoff;
    for (int i = 1; i < failures && delay.compareTo(maxBackoff) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return min(delay, maxBackoff);
  }

  /** The earliest expiry of the token or any of its privileges: when the SDK would lose access. */
  static Instant expiryOf(IssuedToken token) {
    if (token.hasEarliestExpiry() && !isZero(token.getEarliestExpiry())) {
      return toInstant(token.getEarliestExpiry());
    }
    if (token.hasExpiresAt() && !isZero(token.getExpiresAt())) {
      return toInstant(token.getExpiresAt());
    }
    throw new IllegalArgumentException("token carries neither earliest_expiry nor expires_at");
  }

  private static boolean isZero(Timestamp t) {
    return t.getSeconds() == 0 && t.getNanos() == 0;
  }

  private static Instant toInstant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static void cancel(RenewalScheduler.Cancellable task) {
    if (task != null) {
      task.cancel();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static void logListenerFailure(RuntimeException e) {
    // The exception class only: a listener's message could quote the token.
    LOG.log(System.Logger.Level.WARNING, "token renewal listener threw " + e.getClass().getName());
  }

  /** Builds a {@link TokenRenewer}. Needs a renew function, a listener, and an initial token or an issue function. */
  public static final class Builder {
    private RenewFunction renewFunction;
    private IssueFunction issueFunction;
    private IssuedToken initialToken;
    private Listener listener;
    private Clock clock = Clock.systemUTC();
    private RenewalScheduler scheduler;
    private RandomGenerator random = RandomGenerator.getDefault();
    private Duration leadTime = Duration.ofSeconds(30);
    private Duration maxJitter = Duration.ofSeconds(10);
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(1);

    private Builder() {}

    public Builder renewFunction(RenewFunction renewFunction) {
      this.renewFunction = Objects.requireNonNull(renewFunction, "renewFunction");
      return this;
    }

    /** Issues the first token (when no initial token is given) and replaces a token that expired. */
    public Builder issueFunction(IssueFunction issueFunction) {
      this.issueFunction = Objects.requireNonNull(issueFunction, "issueFunction");
      return this;
    }

    /** The token the application already holds and handed to the SDK. */
    public Builder initialToken(IssuedToken initialToken) {
      this.initialToken = Objects.requireNonNull(initialToken, "initialToken");
      return this;
    }

    public Builder listener(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where attempts run; default a daemon single-thread executor owned (and closed) by the renewer. */
    public Builder scheduler(RenewalScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Source of jitter (renewal time and retry backoff); default {@link RandomGenerator#getDefault()}. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** How long before the earliest expiry to renew; default 30 s, as Agora's will-expire callback. */
    public Builder leadTime(Duration leadTime) {
      this.leadTime = requireNonNegative(leadTime, "leadTime");
      return this;
    }

    /** Up to this much earlier still, at random; default 10 s. */
    public Builder maxJitter(Duration maxJitter) {
      this.maxJitter = requireNonNegative(maxJitter, "maxJitter");
      return this;
    }

    /**
     * Retry delay after a failure: {@code initialBackoff}, doubled per further failure up to
     * {@code maxBackoff}, less a random part of up to half of it (equal jitter).
     */
    public Builder backoff(Duration initialBackoff, Duration maxBackoff) {
      requireNonNegative(initialBackoff, "initialBackoff");
      requireNonNegative(maxBackoff, "maxBackoff");
      if (initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("initialBackoff must be positive and at most maxBackoff");
      }
      this.initialBackoff = initialBackoff;
      this.maxBackoff = maxBackoff;
      return this;
    }

    public TokenRenewer build() {
      if (renewFunction == null || listener == null) {
        throw new IllegalStateException("renewFunction and listener are required");
      }
      if (initialToken == null && issueFunction == null) {
        throw new IllegalStateException("give an initialToken or an issueFunction");
      }
      if (initialToken != null) {
        expiryOf(initialToken); // fail fast on a token without times
      }
      return new TokenRenewer(this);
    }

    private static Duration requireNonNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative");
      }
      return d;
    }
  }
}
