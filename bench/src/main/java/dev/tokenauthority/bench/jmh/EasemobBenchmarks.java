package dev.tokenauthority.bench.jmh;

import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.easemobdt.ClientCredential;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.easemobdt.DynamicTokenVerifier;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Easemob dynamic "dt-" tokens: a build is one SHA-256 over a concatenated string, compact JSON and
 * base64url; a verify decodes (canonical check), parses the JSON strictly and recomputes the hash.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EasemobBenchmarks {
  private static final String APP_KEY = "bench-org#bench-app";
  private static final String USER = "bench_user_0001";

  private ClientCredential credential;
  private DynamicTokenVerifier verifier;
  private String token;

  @Setup
  public void setUp() {
    credential = new ClientCredential("YXA6benchClientId0001", new Secret("primary", "YXA6" + BenchCredentials.hex32()));
    verifier = DynamicTokenVerifier.builder().credential(credential).expectedAppKey(APP_KEY).build();
    token = buildDynamic();
  }

  @Benchmark
  public String buildDynamic() {
    return DynamicToken.builder().appKey(APP_KEY).credential(credential).userId(USER).ttlSeconds(3600)
        .build().token();
  }

  @Benchmark
  public Object verifyDynamic() {
    return verifier.verify(token);
  }

  @Benchmark
  @Threads(2)
  public String buildDynamic_threads2() {
    return buildDynamic();
  }

  @Benchmark
  @Threads(2)
  public Object verifyDynamic_threads2() {
    return verifyDynamic();
  }
}
