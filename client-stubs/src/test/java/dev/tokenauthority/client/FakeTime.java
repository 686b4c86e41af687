package dev.tokenauthority.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A settable clock and a scheduler that runs tasks only when the test advances that clock:
 * the renewer is driven deterministically, without threads or sleeps.
 */
final class FakeTime extends Clock implements RenewalScheduler {
  private Instant now;
  private long sequence;
  private final List<Task> tasks = new ArrayList<>();

  FakeTime(Instant start) {
    this.now = start;
  }

  private static final class Task {
    final Instant due;
    final long seq;
    final Runnable body;
    boolean cancelled;

    Task(Instant due, long seq, Runnable body) {
      this.due = due;
      this.seq = seq;
      this.body = body;
    }
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    if (delay.isNegative()) {
      throw new AssertionError("negative delay " + delay);
    }
    Task t = new Task(now.plus(delay), sequence++, task);
    tasks.add(t);
    return () -> t.cancelled = true;
  }

  /** Runs every task due up to now + d, in due order, moving the clock to each task's time. */
  void advance(Duration d) {
    Instant target = now.plus(d);
    while (true) {
      Task next = tasks.stream()
          .filter(t -> !t.cancelled && !t.due.isAfter(target))
          .min(Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.seq))
          .orElse(null);
      if (next == null) {
        break;
      }
      tasks.remove(next);
      now = next.due;
      next.body.run();
    }
    now = target;
  }

  /** Runs the tasks due now (delay zero) without moving the clock. */
  void runDue() {
    advance(Duration.ZERO);
  }

  long activeTasks() {
    return tasks.stream().filter(t -> !t.cancelled).count();
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
