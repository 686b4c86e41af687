package dev.tokenauthority.server.limits;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

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
      if (w.state == Waiter.WAITING && now - w.startNanos < timeoutNanos) {
        return;
      }
      waiting.poll();
      Runnable onTimeout = w.expire();
      if (onTimeout != null) {
        onTimeout.run();
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

  /**
   * One call's race between its request message and its deadline: exactly one side wins. The
   * queue keeps a waiter until a sweep reaches it (up to a second after the call ended), so a
   * delivered waiter lets go of its timeout action at once: that action holds the whole call
   * (stream, headers, listener), and kept for a second at thousands of calls per second those
   * outlive young collections and fill the old generation (issue 10's GC finding). What stays
   * queued is a few dozen bytes.
   */
  public static final class Waiter {
    private static final int WAITING = 0;
    private static final int DELIVERED = 1;
    private static final int TIMED_OUT = 2;
    private static final AtomicIntegerFieldUpdater<Waiter> STATE =
        AtomicIntegerFieldUpdater.newUpdater(Waiter.class, "state");

    private volatile int state = WAITING;
    private final long startNanos;
    private volatile Runnable onTimeout;

    private Waiter(long startNanos, Runnable onTimeout) {
      this.startNanos = startNanos;
      this.onTimeout = onTimeout;
    }

    /** The message (or half-close, or the end of the call) arrived: true unless the deadline won. */
    public boolean deliver() {
      if (STATE.compareAndSet(this, WAITING, DELIVERED)) {
        onTimeout = null;
        return true;
      }
      return state == DELIVERED;
    }

    public boolean timedOut() {
      return state == TIMED_OUT;
    }

    /** Whether this waiter still references its timeout action (tests). */
    boolean holdsAction() {
      return onTimeout != null;
    }

    /** Claims the timeout for the sweep: the action to run, or null if the call was settled first. */
    private Runnable expire() {
      return STATE.compareAndSet(this, WAITING, TIMED_OUT) ? onTimeout : null;
    }
  }
}
