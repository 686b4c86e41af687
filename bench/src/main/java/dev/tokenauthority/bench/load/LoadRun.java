package dev.tokenauthority.bench.load;

import dev.tokenauthority.api.v1.IssuedToken;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One load run against one server: the callers (blocking threads, or with {@code async} chains of
 * calls on the transport threads), the clock phases, the per-caller recorders and the CPU meter.
 */
final class LoadRun {
  /** What a run takes from the command line. */
  record Settings(int concurrency, int warmupSeconds, int durationSeconds, Long maxCalls, boolean async,
      long deadlineMillis) {}

  private final Settings settings;
  private final List<ManagedChannel> channels;
  private final Operation[] wheel;
  private final Operation.Apps apps;
  private final TokenPool pool;
  private final List<Map<Operation, LatencyRecorder>> perThread = new ArrayList<>();
  private final AtomicLong tickets = new AtomicLong();
  private volatile long measureStart;
  private volatile long measureEnd;
  private final CpuMeter meter;
  private CpuMeter.Reading cpu;

  LoadRun(Settings settings, List<ManagedChannel> channels, TokenPool pool, Long serverPid,
      Map<Operation, Integer> weights, Operation.Apps apps) {
    this.settings = settings;
    this.channels = channels;
    this.meter = new CpuMeter(serverPid);
    List<Operation> w = new ArrayList<>();
    weights.forEach((op, n) -> {
      for (int i = 0; i < n; i++) {
        w.add(op);
      }
    });
    this.wheel = w.toArray(Operation[]::new);
    this.apps = apps;
    this.pool = pool;
  }

  /** Runs warm-up then the measured window; returns the measured window's length in nanoseconds. */
  long execute() throws InterruptedException {
    long start = System.nanoTime();
    measureStart = start + TimeUnit.SECONDS.toNanos(settings.warmupSeconds());
    measureEnd = measureStart + TimeUnit.SECONDS.toNanos(settings.durationSeconds());
    int concurrency = settings.concurrency();
    CountDownLatch done = new CountDownLatch(concurrency);
    AtomicLong lastCallEnd = new AtomicLong(measureStart);
    for (int t = 0; t < concurrency; t++) {
      Map<Operation, LatencyRecorder> recorders = new EnumMap<>(Operation.class);
      for (Operation op : Operation.values()) {
        recorders.put(op, new LatencyRecorder());
      }
      perThread.add(recorders);
      ManagedChannel channel = channels.get(t % channels.size());
      if (settings.async()) {
        new Caller(channel, recorders, lastCallEnd, done).next();
        continue;
      }
      Thread worker = new Thread(() -> {
        try {
          work(channel, recorders, lastCallEnd);
        } finally {
          done.countDown();
        }
      }, "load-" + t);
      worker.setDaemon(true);
      worker.start();
    }
    long untilMeasured = measureStart - System.nanoTime();
    if (untilMeasured > 0) {
      TimeUnit.NANOSECONDS.sleep(untilMeasured);
    }
    meter.start();
    done.await();
    cpu = meter.stop();
    // A --calls cap can end the window early: measure to the last call that finished.
    return Math.min(measureEnd, lastCallEnd.get()) - measureStart;
  }

  private void work(ManagedChannel channel, Map<Operation, LatencyRecorder> recorders, AtomicLong lastCallEnd) {
    while (true) {
      long now = System.nanoTime();
      if (!mayCall(now)) {
        return;
      }
      boolean measured = now >= measureStart;
      Operation op = nextOperation();
      long t0 = System.nanoTime();
      String failure = null;
      try {
        var token = op.call(channel, options(), apps, pool);
        if (!op.looksRight(token)) {
          failure = "BAD_RESPONSE";
        }
      } catch (StatusRuntimeException e) {
        failure = e.getStatus().getCode().name();
      }
      if (measured) {
        record(recorders.get(op), t0, failure, lastCallEnd);
      }
    }
  }

  /** False once the measured window is over or --calls is used up; takes a ticket when measured. */
  private boolean mayCall(long now) {
    Long maxCalls = settings.maxCalls();
    return now < measureEnd && !(now >= measureStart && maxCalls != null && tickets.incrementAndGet() > maxCalls);
  }

  private CallOptions options() {
    return CallOptions.DEFAULT.withDeadlineAfter(settings.deadlineMillis(), TimeUnit.MILLISECONDS);
  }

  /** CPU used while the measured window ran (after {@link #execute()}). */
  CpuMeter.Reading cpu() {
    return cpu;
  }

  private Operation nextOperation() {
    return wheel[ThreadLocalRandom.current().nextInt(wheel.length)];
  }

  private static void record(LatencyRecorder r, long t0, String failure, AtomicLong lastCallEnd) {
    long t1 = System.nanoTime();
    if (failure == null) {
      r.ok(t1 - t0);
    } else {
      r.error(failure);
    }
    lastCallEnd.accumulateAndGet(t1, Math::max);
  }

  /**
   * One of --async's callers: a chain of calls, each started when the previous one's answer
   * arrives, so it is only ever touched by one thread at a time (like a blocking worker).
   */
  private final class Caller implements StreamObserver<IssuedToken> {
    private final ManagedChannel channel;
    private final Map<Operation, LatencyRecorder> recorders;
    private final AtomicLong lastCallEnd;
    private final CountDownLatch done;
    private Operation op;
    private long t0;
    private boolean measured;
    private String failure;

    Caller(ManagedChannel channel, Map<Operation, LatencyRecorder> recorders, AtomicLong lastCallEnd,
        CountDownLatch done) {
      this.channel = channel;
      this.recorders = recorders;
      this.lastCallEnd = lastCallEnd;
      this.done = done;
    }

    void next() {
      long now = System.nanoTime();
      if (!mayCall(now)) {
        done.countDown();
        return;
      }
      measured = now >= measureStart;
      op = nextOperation();
      failure = null;
      t0 = System.nanoTime();
      op.start(channel, options(), apps, pool, this);
    }

    @Override
    public void onNext(IssuedToken token) {
      if (!op.looksRight(token)) {
        failure = "BAD_RESPONSE";
      }
    }

    @Override
    public void onError(Throwable t) {
      failure = Status.fromThrowable(t).getCode().name();
      finish();
    }

    @Override
    public void onCompleted() {
      finish();
    }

    private void finish() {
      if (measured) {
        record(recorders.get(op), t0, failure, lastCallEnd);
      }
      if (failure == null) {
        next();
      } else {
        // A call can fail inside start() (on this very stack): continue elsewhere, not recursively.
        ForkJoinPool.commonPool().execute(this::next);
      }
    }
  }

  Map<Operation, LatencyRecorder> merged() {
    Map<Operation, LatencyRecorder> out = new LinkedHashMap<>();
    for (Operation op : Operation.values()) {
      LatencyRecorder m = new LatencyRecorder();
      perThread.forEach(r -> m.merge(r.get(op)));
      out.put(op, m);
    }
    return out;
  }
}
