package dev.tokenauthority.bench.jmh;

import dev.tokenauthority.core.agora.issue.AgoraCredentials;
import dev.tokenauthority.core.agora.issue.AgoraTokenIssuer;
import dev.tokenauthority.core.agora.issue.RtcTokenRequest;
import dev.tokenauthority.core.agora.RtcRole;
import dev.tokenauthority.core.codec.StrictJson;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
 * The building blocks of the token paths, measured alone with plain JDK calls shaped like the
 * core's (reused Deflater/Inflater/Mac, shared SecureRandom), to say which one dominates a token.
 * Not a test of the core's code: these are what its steps cost at best.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PrimitivesBenchmarks {
  /** One generator for all threads, as the core's builders share theirs. */
  private static final SecureRandom SHARED_RANDOM = new SecureRandom();
  private static final String IV_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

  private final Deflater deflater = new Deflater();
  private final Inflater inflater = new Inflater();
  private final byte[] out = new byte[1024];
  private Mac mac;
  private byte[] content;
  private byte[] compressed;
  private byte[] certificate;
  private String zegoPlaintext;

  @Setup
  public void setUp() throws GeneralSecurityException, DataFormatException {
    mac = Mac.getInstance("HmacSHA256");
    certificate = BenchCredentials.hex32().getBytes(StandardCharsets.UTF_8);
    // A real "007" RTC publisher token body (signature + signing info), as the builder deflates it.
    AgoraCredentials app = new AgoraCredentials(BenchCredentials.hex32(), BenchCredentials.secret("primary"));
    String token = AgoraTokenIssuer.withSystemDefaults().issueRtc(app, RtcTokenRequest.builder()
        .channelName("bench-channel-0001").uid(2_882_341_273L).role(RtcRole.PUBLISHER).lifetimeSeconds(3600)
        .build()).token();
    compressed = Base64.getDecoder().decode(token.substring(3));
    inflater.setInput(compressed);
    int n = inflater.inflate(out);
    inflater.reset();
    content = Arrays.copyOf(out, n);
    zegoPlaintext = "{\"app_id\":1234567890,\"user_id\":\"bench_user_0001\",\"nonce\":424242,"
        + "\"ctime\":1700000000,\"expire\":1700003600,\"payload\":\"\"}";
  }

  /** zlib at the default level of a ~120-byte token body, Deflater reused and reset. */
  @Benchmark
  public int deflateTokenBody() {
    deflater.setInput(content);
    deflater.finish();
    int n = deflater.deflate(out);
    deflater.reset();
    return n;
  }

  @Benchmark
  public int inflateTokenBody() throws DataFormatException {
    inflater.setInput(compressed);
    int n = inflater.inflate(out);
    inflater.reset();
    return n;
  }

  /** The three keyed HMAC-SHA256 of a "007" signature over the token body, one reused Mac. */
  @Benchmark
  public byte[] hmacChain007() throws GeneralSecurityException {
    mac.init(new SecretKeySpec(new byte[] {1, 2, 3, 4}, "HmacSHA256"));
    byte[] k1 = mac.doFinal(certificate);
    mac.init(new SecretKeySpec(k1, "HmacSHA256"));
    byte[] k2 = mac.doFinal(new byte[] {5, 6, 7, 8});
    mac.init(new SecretKeySpec(k2, "HmacSHA256"));
    return mac.doFinal(content);
  }

  /** What a "007"/"006" build draws: a salt in 1..99999999 from the shared SecureRandom. */
  @Benchmark
  public long secureRandomSalt() {
    return SHARED_RANDOM.nextLong(1, 100_000_000L);
  }

  @Benchmark
  @Threads(2)
  public long secureRandomSalt_threads2() {
    return secureRandomSalt();
  }

  /** What a Token04 build draws today: 16 x nextInt(36) for the iv plus nextInt() for the nonce. */
  @Benchmark
  public int secureRandomZegoIvAndNonce() {
    char[] iv = new char[16];
    for (int i = 0; i < iv.length; i++) {
      iv[i] = IV_ALPHABET.charAt(SHARED_RANDOM.nextInt(IV_ALPHABET.length()));
    }
    return new String(iv).hashCode() + SHARED_RANDOM.nextInt();
  }

  /** The same randomness from one draw: 20 bytes, iv chars by rejection sampling (rarely redrawn). */
  @Benchmark
  public int secureRandomZegoOneDraw() {
    byte[] b = new byte[20];
    SHARED_RANDOM.nextBytes(b);
    char[] iv = new char[16];
    int filled = 0;
    for (int i = 4; filled < 16; i++) {
      if (i == b.length) {
        SHARED_RANDOM.nextBytes(b);
        i = 4;
      }
      int v = b[i] & 0xFF;
      if (v < 252) { // 252 = 7 * 36: keeps the choice uniform
        iv[filled++] = IV_ALPHABET.charAt(v % 36);
      }
    }
    return new String(iv).hashCode() + (b[0] << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF));
  }

  /** The strict JSON read a Token04 (and Easemob dt) verify does on its plaintext. */
  @Benchmark
  public Object strictJsonReadTree() {
    return StrictJson.parseObject(zegoPlaintext).orElseThrow();
  }
}
