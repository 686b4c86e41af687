package dev.tokenauthority.bench.load;

import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.File;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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
      + " renew-rtc, renew-zim, health (default ${DEFAULT-VALUE}).")
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

  @Option(names = "--async", description = "Keep --concurrency calls in flight from the transport threads (async"
      + " stubs, direct executor) rather than one blocked thread per call: much less client CPU per call.")
  boolean async;

  @Option(names = "--server-pid", description = "The server's pid on this machine: also report its CPU per call"
      + " (/proc/PID/stat user + system over the measured window).")
  Long serverPid;

  @Option(names = "--baseline-target", description = "host:port of a second, plaintext server to compare --target"
      + " with: --warmup-rounds and then --rounds alternating rounds, both from this one (JIT-warm) client.")
  String baselineTarget;

  @Option(names = "--baseline-server-pid", description = "The baseline server's pid, for its CPU per call.")
  Long baselineServerPid;

  @Option(names = "--baseline-mix", split = ",", description = "The --mix of the baseline rounds (default: --mix)."
      + " With --baseline-target equal to --target and health=1, compares token RPCs with Health/Check on one server.")
  List<String> baselineMix;

  @Option(names = "--rounds", description = "Measured rounds with --baseline-target, 1-20 (default ${DEFAULT-VALUE}).")
  int rounds = 3;

  @Option(names = "--warmup-rounds", description = "Unreported rounds before them (JIT warm-up of client and"
      + " servers), 0-10 (default ${DEFAULT-VALUE}).")
  int warmupRounds = 1;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadRunner()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    checkBounds();
    Map<Operation, Integer> weights = parseMix(mix);
    Map<Operation, Integer> baselineWeights = baselineMix == null ? weights : parseMix(baselineMix);
    Operation.Apps apps = new Operation.Apps(agoraApp, zegoApp, easemobApp);
    List<ManagedChannel> open = new ArrayList<>();
    try {
      Side main = side(target, ca != null, serverPid, apps, open);
      if (baselineTarget == null) {
        measure(out, main, weights, apps);
        return 0;
      }
      Side baseline = side(baselineTarget, false, baselineServerPid, apps, open);
      List<String> compared = new ArrayList<>();
      for (int round = 1 - warmupRounds; round <= rounds; round++) {
        String name = round <= 0 ? "warm-up" : "round " + round;
        out.printf("== %s: baseline%n", name);
        Result b = measure(out, baseline, baselineWeights, apps);
        out.printf("== %s: target%n", name);
        Result t = measure(out, main, weights, apps);
        if (round > 0) {
          compared.add(String.format("COMPARE %d %.0f %.0f %.2f %.2f %.2f %s %s %s %.1f %.1f", round,
              b.callsPerSecond(), t.callsPerSecond(), t.callsPerSecond() / b.callsPerSecond(), b.p99Millis(),
              t.p99Millis(), b.serverMicros(), t.serverMicros(), ratioOf(b.serverMicros(), t.serverMicros()),
              b.clientMicros(), t.clientMicros()));
        }
      }
      out.println("COMPARE round baseline-calls/s target-calls/s ratio baseline-p99-ms target-p99-ms"
          + " baseline-server-us target-server-us server-cpu-ratio baseline-client-us target-client-us");
      compared.forEach(out::println);
      out.flush();
      return 0;
    } finally {
      for (ManagedChannel c : open) {
        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** One server to load: its channels and the tokens its RenewToken calls renew. */
  private record Side(String target, boolean tls, Long serverPid, List<ManagedChannel> channels, TokenPool pool) {}

  /** One measured window's totals, for the comparison lines. */
  private record Result(double callsPerSecond, double p99Millis, double clientMicros, String serverMicros) {}

  private Side side(String address, boolean tls, Long pid, Operation.Apps apps, List<ManagedChannel> open)
      throws Exception {
    List<ManagedChannel> mine = new ArrayList<>();
    for (int i = 0; i < channels; i++) {
      ManagedChannel c = channel(address, tls);
      open.add(c);
      mine.add(c);
    }
    ManagedChannel first = mine.get(0);
    TokenPool pool = TokenPool.fill(() -> Operation.RTC.call(first, options(), apps, null),
        () -> Operation.ZIM.call(first, options(), apps, null), 64);
    return new Side(address, tls, pid, mine, pool);
  }

  private Result measure(PrintWriter out, Side side, Map<Operation, Integer> weights, Operation.Apps apps)
      throws InterruptedException {
    LoadRun run = new LoadRun(new LoadRun.Settings(concurrency, warmupSeconds, durationSeconds, maxCalls, async,
        deadlineMillis), side.channels(), side.pool(), side.serverPid(), weights, apps);
    long measuredNanos = run.execute();
    return report(out, side, weights, run.merged(), measuredNanos, run.cpu());
  }

  private static String ratioOf(String a, String b) {
    return a.equals("-") || b.equals("-") ? "-" : String.format("%.2f", Double.parseDouble(a) / Double.parseDouble(b));
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
    require(rounds >= 1 && rounds <= 20, "--rounds must be 1-20");
    require(warmupRounds >= 0 && warmupRounds <= 10, "--warmup-rounds must be 0-10");
    requireLoopback("--target", target);
    if (baselineTarget != null) {
      requireLoopback("--baseline-target", baselineTarget);
    }
  }

  private static void requireLoopback(String option, String address) throws Exception {
    int colon = address.lastIndexOf(':');
    require(colon > 0, option + " must be host:port");
    String host = address.substring(0, colon).replace("[", "").replace("]", "");
    for (InetAddress a : InetAddress.getAllByName(host)) {
      require(a.isLoopbackAddress(), option + " must be a loopback address; this tool never loads other hosts");
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new CommandLine.ParameterException(new CommandLine(new LoadRunner()), message);
    }
  }

  private Map<Operation, Integer> parseMix(List<String> parts) {
    Map<Operation, Integer> weights = new EnumMap<>(Operation.class);
    for (String part : parts) {
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

  private ManagedChannel channel(String address, boolean tls) throws Exception {
    ChannelCredentials creds;
    if (!tls) {
      creds = InsecureChannelCredentials.create();
    } else {
      TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder().trustManager(ca);
      if (cert != null) {
        b.keyManager(cert, key);
      }
      creds = b.build();
    }
    var builder = Grpc.newChannelBuilder(address, creds);
    if (tls && authority != null) {
      builder.overrideAuthority(authority);
    }
    if (async) {
      // Answers are handled, and the next call started, on the transport thread: no hand-off.
      builder.directExecutor();
    }
    return builder.build();
  }

  private CallOptions options() {
    return CallOptions.DEFAULT.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
  }

  private Result report(PrintWriter out, Side side, Map<Operation, Integer> weights,
      Map<Operation, LatencyRecorder> merged, long measuredNanos, CpuMeter.Reading cpu) {
    double seconds = measuredNanos / 1e9;
    out.printf("target=%s tls=%s concurrency=%d channels=%d warmup=%ds measured=%.1fs mix=%s%s%n", side.target(),
        !side.tls() ? "off" : (cert == null ? "server-only" : "mtls"), concurrency, channels, warmupSeconds, seconds,
        String.join(",", weights.entrySet().stream().map(e -> e.getKey().key() + "=" + e.getValue()).toList()),
        async ? " async" : "");
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
    double client = cpu.clientNanos() / 1e3 / calls;
    String server = cpu.serverNanos().isPresent()
        ? String.format("%.1f", cpu.serverNanos().getAsLong() / 1e3 / calls) : "-";
    out.printf("CPU per call (us, measured window): client %.1f server %s%n", client, server);
    out.flush();
    return new Result(calls / seconds, LatencyRecorder.percentile(all.sorted(), 99) / 1e6, client, server);
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
}
