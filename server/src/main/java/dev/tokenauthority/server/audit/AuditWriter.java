package dev.tokenauthority.server.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit stream's bounded queue and its one writer thread, which hands each line to the logger
 * {@value AuditLog#LOGGER_NAME} (whose appender LogSetup points at stderr, stdout or a rotated
 * file). The request thread only formats its line and enqueues it, so it never waits on a disk.
 *
 * <p>Why not Logback's AsyncAppender: with {@code neverBlock} it drops silently (the queue's
 * {@code offer} result is ignored, so nothing can count the loss) and by default it discards INFO
 * events once the queue is 80% full. An audit line may be lost only by an explicit choice and
 * always counted, so this small queue does the hand-off and the policy, and Logback still does the
 * writing and the rotation.
 */
public final class AuditWriter implements AuditSink, AutoCloseable {
  /** Whether a full queue makes the caller wait ({@code block}) or drops and counts the line. */
  public enum Overflow {
    BLOCK,
    DROP
  }

  private static final Set<AuditWriter> LIVE = ConcurrentHashMap.newKeySet();

  private final Logger out = LoggerFactory.getLogger(AuditLog.LOGGER_NAME);
  private final BlockingQueue<String> queue;
  private final Overflow overflow;
  private final LongAdder dropped = new LongAdder();
  private final Thread thread;
  private final Object progress = new Object();
  private long accepted; // guarded by progress
  private long done; // lines written or lost to a failing appender; guarded by progress
  private volatile boolean closed;

  public AuditWriter(int capacity, Overflow overflow) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.overflow = overflow;
    this.thread = new Thread(this::run, "ta-audit-writer");
    thread.setDaemon(true); // close() drains it; a daemon never holds the JVM open
    thread.start();
    LIVE.add(this);
  }

  @Override
  public void write(String line) {
    if (closed) {
      writeNow(line); // after close (late shutdown paths): synchronous, never lost
      return;
    }
    synchronized (progress) {
      accepted++;
    }
    boolean queued;
    if (overflow == Overflow.BLOCK) {
      try {
        queue.put(line);
        queued = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        queued = false;
      }
    } else {
      queued = queue.offer(line);
    }
    if (!queued) {
      dropped.increment();
      markDone(1);
    }
  }

  /** Lines dropped because the queue was full (overflow {@code drop}) or the caller was interrupted. */
  public long dropped() {
    return dropped.sum();
  }

  /** Lines waiting to be written. */
  public int queued() {
    return queue.size();
  }

  public int capacity() {
    return queue.size() + queue.remainingCapacity();
  }

  /** Waits until every line accepted before this call has been written (tests; shutdown). */
  public boolean awaitWritten(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      long target = accepted;
      while (done < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(progress, left);
      }
    }
    return true;
  }

  /** {@link #awaitWritten} for every open writer of this JVM (test log captures read after it). */
  public static void awaitAllWritten() {
    for (AuditWriter w : LIVE) {
      try {
        w.awaitWritten(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Writes what is queued, then stops the thread; later lines are written synchronously. */
  @Override
  public void close() {
    closed = true;
    try {
      awaitWritten(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.interrupt();
    LIVE.remove(this);
  }

  private void run() {
    List<String> batch = new ArrayList<>(256);
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        if (closed && queue.isEmpty()) {
          return;
        }
        continue;
      }
      queue.drainTo(batch, 255);
      for (String line : batch) {
        writeNow(line);
      }
      markDone(batch.size());
      batch.clear();
    }
  }

  private void writeNow(String line) {
    try {
      out.info(line);
    } catch (RuntimeException e) {
      // An appender failure must not kill the writer; Logback reports its own errors to its status.
    }
  }

  private void markDone(int n) {
    synchronized (progress) {
      done += n;
      progress.notifyAll();
    }
  }
}
