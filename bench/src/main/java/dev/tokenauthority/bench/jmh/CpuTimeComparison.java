package dev.tokenauthority.bench.jmh;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operations of {@link VendorComparisonBenchmarks}, timed by the calling thread's CPU time
 * instead of the wall clock, in alternating rounds in one JVM.
 *
 * <p>Why: this machine is shared, and at a load average of several times its 2 cores JMH's
 * throughput errors exceed the scores (a benchmark thread runs a third of the time, and the
 * reference builder's 19 KB of garbage per token makes it suffer more from the GC threads' share).
 * CPU time per operation is what the token work costs, whatever else runs; each figure is the best
 * round, which is the least disturbed by cache and scheduler noise. Allocation per operation comes
 * from the same thread's allocation counter.
 *
 * <pre>{@code java -cp bench/target/benchmarks.jar dev.tokenauthority.bench.jmh.CpuTimeComparison [rounds] [calls]}</pre>
 */
public final class CpuTimeComparison {
  private static volatile Object sink;

  private CpuTimeComparison() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    VendorComparisonBenchmarks b = new VendorComparisonBenchmarks();
    b.setUp();
    VendorComparisonBenchmarks.Zlib z = new VendorComparisonBenchmarks.Zlib();
    z.setUp(b);
    Map<String, Supplier<Object>> ops = new LinkedHashMap<>();
    ops.put("ourBuild", b::ourBuild);
    ops.put("referenceBuild", b::referenceBuild);
    ops.put("ourVerify", b::ourVerify);
    ops.put("referenceVerify", () -> {
      try {
        return b.referenceVerify();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    ops.put("level6Deflate", () -> b.level6Deflate(z));
    ops.put("jdkDeflate", () -> b.jdkDeflate(z));

    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Map<String, double[]> best = new LinkedHashMap<>();
    for (String name : ops.keySet()) {
      best.put(name, new double[] {Double.MAX_VALUE, 0});
    }
    for (int r = -2; r < rounds; r++) { // two warm-up rounds
      for (Map.Entry<String, Supplier<Object>> op : ops.entrySet()) {
        Supplier<Object> f = op.getValue();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long alloc0 = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < calls; i++) {
          sink = f.get();
        }
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        long alloc = mx.getCurrentThreadAllocatedBytes() - alloc0;
        if (r >= 0) {
          double[] s = best.get(op.getKey());
          s[0] = Math.min(s[0], cpu / 1000.0 / calls);
          s[1] = (double) alloc / calls;
        }
      }
    }
    System.out.printf("%-16s %12s %10s%n", "operation", "CPU us/op", "B/op");
    best.forEach((name, s) -> System.out.printf("%-16s %12.2f %10.0f%n", name, s[0], s[1]));
    System.out.printf("build: reference/ours = %.2f; verify: reference/ours = %.2f; deflate: jdk/level6 = %.2f%n",
        best.get("referenceBuild")[0] / best.get("ourBuild")[0],
        best.get("referenceVerify")[0] / best.get("ourVerify")[0],
        best.get("jdkDeflate")[0] / best.get("level6Deflate")[0]);
  }
}
