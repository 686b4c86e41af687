package dev.tokenauthority.bench.jmh;

import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.agora.RtcRole;
import dev.tokenauthority.core.agora.issue.AgoraCredentials;
import dev.tokenauthority.core.agora.issue.AgoraTokenIssuer;
import dev.tokenauthority.core.agora.issue.RtcTokenRequest;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.zlib.Level6Deflater;
import io.agora.media.AccessToken2;
import io.agora.media.RtcTokenBuilder2;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
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
 * The core against its anchors in one run, so the ratios are side by side on the same machine
 * state: our "007" RTC publisher build and verify against the vendor's reference Java builder
 * ({@code io.agora:authentication}, {@code RtcTokenBuilder2}; verify = its {@code
 * AccessToken2.parse}, then re-sign and compare, the reference's only way to check a token), and
 * our zlib against a plain reused {@code Deflater} on the same token body. Both builders draw
 * issue time and salt as in production (ours: a shared SecureRandom; the reference: a new
 * SecureRandom per token).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VendorComparisonBenchmarks {
  private static final String CHANNEL = "bench-channel-0001";
  private static final int UID = 123_456_789;
  private static final int LIFETIME = 3600;

  private String appId;
  private String certificate;
  private AgoraTokenIssuer issuer;
  private AgoraCredentials app;
  private List<Secret> certificates;
  private AccessToken2Verifier verifier;
  private RtcTokenBuilder2 reference;
  private String ourToken;
  private String referenceToken;

  /** Per-thread zlib state, as each side keeps it. */
  @State(Scope.Thread)
  public static class Zlib {
    final Deflater deflater = new Deflater();
    final Level6Deflater level6 = new Level6Deflater();
    final byte[] out = new byte[Level6Deflater.maxOutput(Level6Deflater.MAX_INPUT)];
    byte[] body;

    @Setup
    public void setUp(VendorComparisonBenchmarks shared) throws DataFormatException {
      Inflater inflater = new Inflater();
      inflater.setInput(Base64.getDecoder().decode(shared.ourToken.substring(3)));
      byte[] buf = new byte[1024];
      int n = inflater.inflate(buf);
      body = java.util.Arrays.copyOf(buf, n);
    }
  }

  @Setup
  public void setUp() {
    appId = BenchCredentials.hex32();
    certificate = BenchCredentials.hex32();
    Secret secret = new Secret("primary", certificate);
    app = new AgoraCredentials(appId, secret);
    issuer = AgoraTokenIssuer.withSystemDefaults();
    certificates = List.of(secret);
    verifier = new AccessToken2Verifier(Clock.systemUTC());
    reference = new RtcTokenBuilder2();
    ourToken = ourBuild();
    referenceToken = referenceBuild();
  }

  @Benchmark
  public String ourBuild() {
    return issuer.issueRtc(app, RtcTokenRequest.builder().channelName(CHANNEL).uid(UID)
        .role(RtcRole.PUBLISHER).lifetimeSeconds(LIFETIME).build()).token();
  }

  @Benchmark
  public String referenceBuild() {
    return reference.buildTokenWithUid(
        appId, certificate, CHANNEL, UID, RtcTokenBuilder2.Role.ROLE_PUBLISHER, LIFETIME, LIFETIME);
  }

  @Benchmark
  @Threads(2)
  public String ourBuild_threads2() {
    return ourBuild();
  }

  @Benchmark
  @Threads(2)
  public String referenceBuild_threads2() {
    return referenceBuild();
  }

  @Benchmark
  public Object ourVerify() {
    return verifier.verify(ourToken, certificates);
  }

  @Benchmark
  public boolean referenceVerify() throws Exception {
    AccessToken2 parsed = new AccessToken2();
    if (!parsed.parse(referenceToken)) {
      return false;
    }
    parsed.appCert = certificate;
    return parsed.build().equals(referenceToken);
  }

  /** Our zlib of a token body. */
  @Benchmark
  public int level6Deflate(Zlib z) {
    return z.level6.deflate(z.body, z.body.length, z.out);
  }

  /** The baseline: java.util.zip.Deflater at the default level, reused and reset per token. */
  @Benchmark
  public int jdkDeflate(Zlib z) {
    z.deflater.setInput(z.body);
    z.deflater.finish();
    int n = z.deflater.deflate(z.out);
    z.deflater.reset();
    return n;
  }
}
