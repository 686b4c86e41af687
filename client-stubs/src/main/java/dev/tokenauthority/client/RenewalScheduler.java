package dev.tokenauthority.client;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay. {@link TokenRenewer} schedules through this so that tests can drive
 * it with a fake clock and no real waiting; production code uses {@link #using}.
 */
@FunctionalInterface
public interface RenewalScheduler {
  /** Runs {@code task} once after {@code delay} (zero: as soon as possible). */
  Cancellable schedule(Runnable task, Duration delay);

  /** A scheduled task that can be called off; cancelling a task that ran is a no-op. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  /** Schedules on the given executor; the caller owns it and shuts it down. */
  static RenewalScheduler using(ScheduledExecutorService executor) {
    return (task, delay) -> {
      ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    };
  }
}
