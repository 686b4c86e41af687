package dev.tokenauthority.bench.jmh;

import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora.RtcRole;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora006.LegacyAccessTokenVerifier;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.agora.issue.AgoraCredentials;
import dev.tokenauthority.core.agora.issue.AgoraTokenIssuer;
import dev.tokenauthority.core.agora.issue.IssueOverrides;
import dev.tokenauthority.core.agora.issue.RtcTokenRequest;
import java.time.Clock;
import java.util.List;
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
 * Agora "007" and "006" through the public core API the server uses: request validation, packing,
 * HMAC chain, zlib, base64 for a build; base64, inflate, parse and the HMAC chain for a verify.
 * Builds use the system clock and a SecureRandom salt, as in production; the {@code FixedSalt}
 * variants pin issue time and salt so the difference is the cost of drawing them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AgoraBenchmarks {
  private static final String CHANNEL = "bench-channel-0001";
  private static final long UID = 2_882_341_273L;
  private static final String UID_TEXT = Long.toString(UID);
  private static final String ACCOUNT = "bench.user+account@example";

  private AgoraTokenIssuer issuer;
  private AgoraCredentials app;
  private IssueOverrides fixed;
  private List<Secret> certificates;
  private List<Secret> rotatedCertificates;
  private AccessToken2Verifier verifier007;
  private LegacyAccessTokenVerifier verifier006;
  private String token007;
  private String token006;

  @Setup
  public void setUp() {
    Secret certificate = BenchCredentials.secret("primary");
    app = new AgoraCredentials(BenchCredentials.hex32(), certificate);
    issuer = AgoraTokenIssuer.withSystemDefaults();
    fixed = IssueOverrides.of(Clock.systemUTC().instant().getEpochSecond(), 12_345_678L);
    certificates = List.of(certificate);
    // Rotation: the token is signed with the secondary, so the primary is tried (and fails) first.
    rotatedCertificates = List.of(BenchCredentials.secret("primary"), new Secret("secondary", certificate.reveal()));
    verifier007 = new AccessToken2Verifier(Clock.systemUTC());
    verifier006 = new LegacyAccessTokenVerifier(Clock.systemUTC());
    token007 = issuer.issueRtc(app, publisher().uid(UID).build()).token();
    token006 = issuer.issueRtc(app, publisher().uid(UID).format(TokenFormat.AGORA_006).build()).token();
  }

  private static RtcTokenRequest.Builder publisher() {
    return RtcTokenRequest.builder().channelName(CHANNEL).role(RtcRole.PUBLISHER).lifetimeSeconds(3600);
  }

  @Benchmark
  public String build007RtcPublisherUid() {
    return issuer.issueRtc(app, publisher().uid(UID).build()).token();
  }

  @Benchmark
  public String build007RtcPublisherAccount() {
    return issuer.issueRtc(app, publisher().userAccount(ACCOUNT).build()).token();
  }

  @Benchmark
  public String build007RtcPublisherUidFixedSalt() {
    return issuer.issueRtc(app, publisher().uid(UID).overrides(fixed).build()).token();
  }

  @Benchmark
  public AccessToken2 parse007() {
    return AccessToken2.parse(token007);
  }

  @Benchmark
  public Object parseVerify007() {
    return verifier007.verify(token007, certificates);
  }

  @Benchmark
  public Object parseVerify007SecondaryCertificate() {
    return verifier007.verify(token007, rotatedCertificates);
  }

  @Benchmark
  public String build006RtcPublisherUid() {
    return issuer.issueRtc(app, publisher().uid(UID).format(TokenFormat.AGORA_006).build()).token();
  }

  @Benchmark
  public Object parseVerify006() {
    return verifier006.verify(LegacyAccessToken.parse(token006), CHANNEL, UID_TEXT, certificates);
  }

  // Two threads on one shared issuer/verifier: per-thread Mac/Deflater/Inflater should scale; a
  // shared lock (e.g. the SecureRandom behind the salt) would not.

  @Benchmark
  @Threads(2)
  public String build007RtcPublisherUid_threads2() {
    return build007RtcPublisherUid();
  }

  @Benchmark
  @Threads(2)
  public String build007RtcPublisherUidFixedSalt_threads2() {
    return build007RtcPublisherUidFixedSalt();
  }

  @Benchmark
  @Threads(2)
  public Object parseVerify007_threads2() {
    return parseVerify007();
  }
}
