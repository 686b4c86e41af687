package dev.tokenauthority.server.limits;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deadlines for request messages. A call registers when it starts; it settles when its message
 * (or half-close) arrives; {@link #sweep()}, run periodically, times out calls still waiting after
 * the timeout. One lock-free queue in start order rather than a timer task per call, so the hot
 * path costs a queue insert and a compare-and-set, not a scheduled and cancelled task.
 */
public final class RequestDeadlines {
  private final InstantSource time;
  private final long timeoutNanos;
  private final ConcurrentLinkedQueue<Waiter> waiting = new ConcurrentLinkedQueue<>();

  public RequestDeadlines(InstantSource time, Duration timeout) {
    this.time = Objects.requireNonNull(time);
    this.timeoutNanos = timeout.toNanos();
  }

  public Duration timeout() {
    return Duration.ofNanos(timeoutNanos);
  }

  /** Starts the clock for one call; {@code onTimeout} runs (on the sweeping thread) if it wins. */
  public Waiter start(Runnable onTimeout) {
    Waiter w = new Waiter(nanos(), Objects.requireNonNull(onTimeout));
    waiting.add(w);
    return w;
  }

  /**
   * Times out every call that has waited the timeout or longer. Calls are queued in start order,
   * so the sweep stops at the first one still within its time.
   */
  public void sweep() {
    long now = nanos();
    for (Waiter w = waiting.peek(); w != null; w = waiting.peek()) {
      if (w.state.get() == Waiter.WAITING && now - w.startNanos < timeoutNanos) {
        return;
      }
      waiting.poll();
      if (w.state.compareAndSet(Waiter.WAITING, Waiter.TIMED_OUT)) {
        w.onTimeout.run();
      }
    }
  }

  /** Calls registered and not yet swept away (tests). */
  int tracked() {
    return waiting.size();
  }

  private long nanos() {
    Instant i = time.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  /** One call's race between its request message and its deadline: exactly one side wins. */
  public static final class Waiter {
    private static final int WAITING = 0;
    private static final int DELIVERED = 1;
    private static final int TIMED_OUT = 2;

    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final long startNanos;
    private final Runnable onTimeout;

    private Waiter(long startNanos, Runnable onTimeout) {
      this.startNanos = startNanos;
      this.onTimeout = onTimeout;
    }

    /** The message (or half-close, or the end of the call) arrived: true unless the deadline won. */
    public boolean deliver() {
      return state.compareAndSet(WAITING, DELIVERED) || state.get() == DELIVERED;
    }

    public boolean timedOut() {
      return state.get() == TIMED_OUT;
    }
  }
}
