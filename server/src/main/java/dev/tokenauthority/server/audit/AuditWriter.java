package dev.tokenauthority.server.audit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.ErrorStatus;
import ch.qos.logback.core.status.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
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
 *
 * <p>A sink can also fail after start (a full disk, a file removed under a read-only mount): Logback
 * then stops the appender and drops what it is given, telling only its status list. So the writer
 * checks the audit logger's appenders after each line, counts every line lost that way ({@link
 * #failed()}, metric reason {@code write_failed}), says so once on the ordinary log, and restarts
 * the appenders (a file appender reopens its file) with each new batch until writing works again.
 */
public final class AuditWriter implements AuditSink, AutoCloseable {
  /** Whether a full queue makes the caller wait ({@code block}) or drops and counts the line. */
  public enum Overflow {
    BLOCK,
    DROP
  }

  private static final Set<AuditWriter> LIVE = ConcurrentHashMap.newKeySet();
  private static final int MAX_BATCH = 256;
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
  private final Logger out = LoggerFactory.getLogger(AuditLog.LOGGER_NAME);
  private final BlockingQueue<String> queue;
  private final Overflow overflow;
  private final LongAdder dropped = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private boolean sinkDown; // only the writer thread reads and writes it
  private final Thread thread;
  /** Lines handed to write(); an atomic, so request threads never take the writer's monitor. */
  private final AtomicLong accepted = new AtomicLong();
  private final Object progress = new Object();
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
      flushSink(1);
      return;
    }
    accepted.incrementAndGet();
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

  /** Lines lost because the sink stopped writing (an I/O error after start); see the class comment. */
  public long failed() {
    return failed.sum();
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
    long target = accepted.get();
    synchronized (progress) {
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
    List<String> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      if (queue.drainTo(batch, MAX_BATCH) == 0) {
        try {
          batch.add(queue.take());
        } catch (InterruptedException e) {
          if (closed && queue.isEmpty()) {
            return;
          }
          continue;
        }
        queue.drainTo(batch, MAX_BATCH - 1);
      }
      int written = batch.size();
      writeBatch(batch);
      flushSink(written);
      markDone(written);
      batch.clear();
      // Unless behind (a full batch), let the next lines gather before looking again. Waiting in
      // take() instead, the writer is woken by nearly every line under load: a futex wake-up on
      // the request thread and a context switch per call. Lingering caps that at about 1,000 a
      // second and delays a line by at most the linger; an idle server finds the queue empty and
      // waits in take() again.
      if (written < MAX_BATCH) {
        LockSupport.parkNanos(LINGER_NANOS);
      }
    }
  }

  private void writeBatch(List<String> batch) {
    boolean working = sinkWorking() || restartSink();
    for (String line : batch) {
      if (working) {
        writeNow(line);
        working = sinkWorking(); // false: this line met the I/O error and was not written
        if (working && sinkDown) { // a line really written, not only a restarted appender
          sinkDown = false;
          LOG.warn("audit sink writing again; {} audit lines were lost while it failed", failed());
        }
      }
      if (!working) {
        failed.increment();
        noteSinkDown();
      }
    }
  }

  /** Whether every appender of the audit logger is still started (Logback stops one on an I/O error). */
  private boolean sinkWorking() {
    if (out instanceof ch.qos.logback.classic.Logger logger) {
      for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
        if (!it.next().isStarted()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Passes the batch on from appenders that buffer it (LogSetup's audit sinks flush per batch,
   * not per line: a write(2) per audited call was more system calls than the call's own network
   * I/O). A flush that fails lost the batch: counted like a failed line, and the appender is
   * stopped so the next batch restarts it (a file appender reopens its file).
   */
  private void flushSink(int lines) {
    if (!(out instanceof ch.qos.logback.classic.Logger logger)) {
      return;
    }
    for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> a && a.isStarted()) {
        OutputStream stream = a.getOutputStream();
        try {
          if (stream != null) {
            stream.flush();
          }
        } catch (IOException e) {
          a.addError("audit batch flush failed", e);
          a.stop();
          failed.add(lines);
          noteSinkDown();
        }
      }
    }
  }

  /** Starts stopped appenders again (a file appender reopens its file); true if they all run. */
  private boolean restartSink() {
    if (out instanceof ch.qos.logback.classic.Logger logger) {
      for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
        Appender<ILoggingEvent> a = it.next();
        if (!a.isStarted()) {
          a.start();
        }
      }
    }
    return sinkWorking();
  }

  private void noteSinkDown() {
    if (!sinkDown) {
      sinkDown = true;
      LOG.error("audit sink stopped writing ({}); lost audit lines are counted in "
          + "tokenauthority_audit_dropped_total{reason=\"write_failed\"}; retrying with each new batch", lastSinkError());
    }
  }

  /** The message of Logback's last error status about the audit logger's appenders (never a line's content). */
  private String lastSinkError() {
    if (out instanceof ch.qos.logback.classic.Logger logger) {
      List<Status> statuses = logger.getLoggerContext().getStatusManager().getCopyOfStatusList();
      for (int i = statuses.size() - 1; i >= 0; i--) {
        Status st = statuses.get(i);
        if (st instanceof ErrorStatus && st.getOrigin() instanceof Appender<?> a
            && logger.getAppender(a.getName()) == a) {
          Throwable t = st.getThrowable();
          return st.getMessage() + (t == null ? "" : ": " + t.getMessage());
        }
      }
    }
    return "no cause recorded";
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
