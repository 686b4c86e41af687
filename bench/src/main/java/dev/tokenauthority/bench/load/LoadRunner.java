package dev.tokenauthority.bench.load;

import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.File;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Closed-loop gRPC load against a running Token Authority on loopback: {@code --concurrency}
 * threads each call, wait for the answer, and call again, for a warm-up and then a measured window
 * bounded by {@code --duration} and optionally {@code --calls}. Reports per RPC: calls, errors by
 * status, throughput, and p50/p90/p99/max latency of the successful calls.
 *
 * <p>Closed loop means a slow answer delays the next request of that thread (coordinated
 * omission): the percentiles are service times under this concurrency, not what an open-loop
 * arrival rate would see. The client shares the machine with the server, so its CPU counts too.
 */
@Command(name = "load-runner", mixinStandardHelpOptions = true,
    description = "Bounded gRPC load against a Token Authority on loopback.")
public final class LoadRunner implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--target", description = "host:port of the server; loopback only (default ${DEFAULT-VALUE}).")
  String target = "127.0.0.1:50051";

  @Option(names = "--concurrency", description = "Caller threads, 1-512 (default ${DEFAULT-VALUE}).")
  int concurrency = 8;

  @Option(names = "--duration", description = "Measured seconds, 1-600 (default ${DEFAULT-VALUE}).")
  int durationSeconds = 20;

  @Option(names = "--warmup", description = "Unmeasured warm-up seconds, 0-300 (default ${DEFAULT-VALUE}).")
  int warmupSeconds = 5;

  @Option(names = "--calls", description = "Stop the measured window after this many calls (1-10000000).")
  Long maxCalls;

  @Option(names = "--mix", split = ",", description = "op=weight list; ops: rtc, rtm, zim, zim-room, dt,"
      + " renew-rtc, renew-zim (default ${DEFAULT-VALUE}).")
  List<String> mix = List.of("rtc=4", "zim=3", "renew-rtc=2", "renew-zim=1");

  @Option(names = "--channels", description = "gRPC channels (HTTP/2 connections), 1-64 (default ${DEFAULT-VALUE}).")
  int channels = 1;

  @Option(names = "--deadline-ms", description = "Per-call deadline (default ${DEFAULT-VALUE}).")
  long deadlineMillis = 5000;

  @Option(names = "--agora-app", description = "Agora app reference (default ${DEFAULT-VALUE}).")
  String agoraApp = "agora";

  @Option(names = "--zego-app", description = "ZEGO app reference (default ${DEFAULT-VALUE}).")
  String zegoApp = "zego";

  @Option(names = "--easemob-app", description = "Easemob app reference (default ${DEFAULT-VALUE}).")
  String easemobApp = "easemob";

  @Option(names = "--ca", description = "PEM CA bundle that signed the server certificate; enables TLS.")
  File ca;

  @Option(names = "--cert", description = "PEM client certificate (mTLS).")
  File cert;

  @Option(names = "--key", description = "PEM PKCS#8 client private key (mTLS).")
  File key;

  @Option(names = "--authority", description = "TLS authority to check the server certificate against.")
  String authority;

  @Option(names = "--server-pid", description = "The server's pid on this machine: also report its CPU per call"
      + " (/proc/PID/stat user + system over the measured window).")
  Long serverPid;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadRunner()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    checkBounds();
    Map<Operation, Integer> weights = parseMix();
    Operation.Apps apps = new Operation.Apps(agoraApp, zegoApp, easemobApp);
    List<ManagedChannel> open = new ArrayList<>();
    try {
      for (int i = 0; i < channels; i++) {
        open.add(channel());
      }
      TokenAuthorityServiceBlockingStub first = TokenAuthorityServiceGrpc.newBlockingStub(open.get(0));
      TokenPool pool = TokenPool.fill(
          () -> Operation.RTC.call(first.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS), apps, null),
          () -> Operation.ZIM.call(first.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS), apps, null), 64);
      Run run = new Run(open, weights, apps, pool);
      long measuredNanos = run.execute();
      report(out, weights, run.merged(), measuredNanos, run.cpu);
      return 0;
    } finally {
      for (ManagedChannel c : open) {
        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private void checkBounds() throws Exception {
    require(concurrency >= 1 && concurrency <= 512, "--concurrency must be 1-512");
    require(durationSeconds >= 1 && durationSeconds <= 600, "--duration must be 1-600");
    require(warmupSeconds >= 0 && warmupSeconds <= 300, "--warmup must be 0-300");
    require(maxCalls == null || (maxCalls >= 1 && maxCalls <= 10_000_000), "--calls must be 1-10000000");
    require(channels >= 1 && channels <= 64, "--channels must be 1-64");
    require(deadlineMillis >= 1 && deadlineMillis <= 60_000, "--deadline-ms must be 1-60000");
    require((cert == null) == (key == null), "--cert and --key go together");
    require(cert == null || ca != null, "--cert needs --ca");
    int colon = target.lastIndexOf(':');
    require(colon > 0, "--target must be host:port");
    String host = target.substring(0, colon).replace("[", "").replace("]", "");
    for (InetAddress a : InetAddress.getAllByName(host)) {
      require(a.isLoopbackAddress(), "--target must be a loopback address; this tool never loads other hosts");
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new CommandLine.ParameterException(new CommandLine(new LoadRunner()), message);
    }
  }

  private Map<Operation, Integer> parseMix() {
    Map<Operation, Integer> weights = new EnumMap<>(Operation.class);
    for (String part : mix) {
      String[] kv = part.split("=", 2);
      int w = kv.length == 2 ? Integer.parseInt(kv[1].trim()) : 1;
      require(w >= 0 && w <= 1000, "--mix weights must be 0-1000");
      if (w > 0) {
        weights.put(Operation.byKey(kv[0].trim()), w);
      }
    }
    require(!weights.isEmpty(), "--mix names no operation with a positive weight");
    return weights;
  }

  private ManagedChannel channel() throws Exception {
    ChannelCredentials creds;
    if (ca == null) {
      creds = InsecureChannelCredentials.create();
    } else {
      TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder().trustManager(ca);
      if (cert != null) {
        b.keyManager(cert, key);
      }
      creds = b.build();
    }
    var builder = Grpc.newChannelBuilder(target, creds);
    if (authority != null) {
      builder.overrideAuthority(authority);
    }
    return builder.build();
  }

  private void report(PrintWriter out, Map<Operation, Integer> weights, Map<Operation, LatencyRecorder> merged,
      long measuredNanos, CpuMeter.Reading cpu) {
    double seconds = measuredNanos / 1e9;
    out.printf("target=%s tls=%s concurrency=%d channels=%d warmup=%ds measured=%.1fs mix=%s%n", target,
        ca == null ? "off" : (cert == null ? "server-only" : "mtls"), concurrency, channels, warmupSeconds, seconds,
        String.join(",", mix));
    out.printf("%-22s %9s %7s %10s %9s %9s %9s %9s  %s%n", "rpc", "ok", "errors", "calls/s", "p50 ms", "p90 ms",
        "p99 ms", "max ms", "error kinds");
    LatencyRecorder all = new LatencyRecorder();
    for (Operation op : weights.keySet()) {
      LatencyRecorder r = merged.get(op);
      line(out, op.label(), r, seconds);
      all.merge(r);
    }
    line(out, "ALL", all, seconds);
    long calls = Math.max(1, all.successes() + all.errorCount());
    out.printf("CPU per call (us, measured window): client %.1f server %s%n", cpu.clientNanos() / 1e3 / calls,
        cpu.serverNanos().isPresent() ? String.format("%.1f", cpu.serverNanos().getAsLong() / 1e3 / calls) : "-");
    out.flush();
  }

  private static void line(PrintWriter out, String label, LatencyRecorder r, double seconds) {
    long[] s = r.sorted();
    out.printf("%-22s %9d %7d %10.0f %9.2f %9.2f %9.2f %9.2f  %s%n", label, r.successes(), r.errorCount(),
        (r.successes() + r.errorCount()) / seconds, ms(LatencyRecorder.percentile(s, 50)),
        ms(LatencyRecorder.percentile(s, 90)), ms(LatencyRecorder.percentile(s, 99)),
        ms(s.length == 0 ? 0 : s[s.length - 1]), r.errors().isEmpty() ? "" : r.errors());
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** One load run: the worker threads, the clock phases and the per-thread recorders. */
  private final class Run {
    private final List<TokenAuthorityServiceBlockingStub> stubs = new ArrayList<>();
    private final Operation[] wheel;
    private final Operation.Apps apps;
    private final TokenPool pool;
    private final List<Map<Operation, LatencyRecorder>> perThread = new ArrayList<>();
    private final AtomicLong tickets = new AtomicLong();
    private volatile long measureStart;
    private volatile long measureEnd;
    private final CpuMeter meter = new CpuMeter(serverPid);
    private CpuMeter.Reading cpu;

    Run(List<ManagedChannel> channels, Map<Operation, Integer> weights, Operation.Apps apps, TokenPool pool) {
      channels.forEach(c -> stubs.add(TokenAuthorityServiceGrpc.newBlockingStub(c)));
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
      measureStart = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
      measureEnd = measureStart + TimeUnit.SECONDS.toNanos(durationSeconds);
      CountDownLatch done = new CountDownLatch(concurrency);
      AtomicLong lastCallEnd = new AtomicLong(measureStart);
      for (int t = 0; t < concurrency; t++) {
        Map<Operation, LatencyRecorder> recorders = new EnumMap<>(Operation.class);
        for (Operation op : Operation.values()) {
          recorders.put(op, new LatencyRecorder());
        }
        perThread.add(recorders);
        TokenAuthorityServiceBlockingStub stub = stubs.get(t % stubs.size());
        Thread worker = new Thread(() -> {
          try {
            work(stub, recorders, lastCallEnd);
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

    private void work(TokenAuthorityServiceBlockingStub stub, Map<Operation, LatencyRecorder> recorders,
        AtomicLong lastCallEnd) {
      while (true) {
        long now = System.nanoTime();
        if (now >= measureEnd) {
          return;
        }
        boolean measured = now >= measureStart;
        if (measured && maxCalls != null && tickets.incrementAndGet() > maxCalls) {
          return;
        }
        Operation op = wheel[ThreadLocalRandom.current().nextInt(wheel.length)];
        long t0 = System.nanoTime();
        String failure = null;
        try {
          var token = op.call(stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS), apps, pool);
          if (!op.looksRight(token)) {
            failure = "BAD_RESPONSE";
          }
        } catch (StatusRuntimeException e) {
          failure = e.getStatus().getCode().name();
        }
        long t1 = System.nanoTime();
        if (measured) {
          LatencyRecorder r = recorders.get(op);
          if (failure == null) {
            r.ok(t1 - t0);
          } else {
            r.error(failure);
          }
          lastCallEnd.accumulateAndGet(t1, Math::max);
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
}
