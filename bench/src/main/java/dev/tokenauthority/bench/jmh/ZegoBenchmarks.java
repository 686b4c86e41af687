package dev.tokenauthority.bench.jmh;

import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.zego04.Token04Verifier;
import dev.tokenauthority.core.zego04.ZegoRoomPrivileges;
import dev.tokenauthority.core.zego04.ZegoToken04;
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
 * ZEGO Token04: a build validates, draws iv and nonce, writes the JSON, AES-256-CBC encrypts and
 * base64-encodes; a verify decodes, decrypts, parses the JSON strictly and checks the fields. The
 * {@code FixedNonceIv} variant pins nonce, iv and issue time, so the difference is the random draw.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ZegoBenchmarks {
  private static final long APP_ID = 1_234_567_890L;
  private static final String USER = "bench_user_0001";

  private Secret secret;
  private long issuedAt;
  private ZegoRoomPrivileges room;
  private Token04Verifier verifier;
  private String zimToken;
  private String roomToken;

  @Setup
  public void setUp() {
    secret = BenchCredentials.secret("primary");
    issuedAt = System.currentTimeMillis() / 1000;
    room = new ZegoRoomPrivileges("bench-room-0001", true, true, List.of("stream-a", "stream-b"));
    verifier = Token04Verifier.builder().serverSecret(secret).expectedAppId(APP_ID).build();
    zimToken = buildZim();
    roomToken = buildRoom();
  }

  @Benchmark
  public String buildZim() {
    return ZegoToken04.builder().appId(APP_ID).serverSecret(secret).userId(USER).lifetimeSeconds(3600)
        .build().token();
  }

  @Benchmark
  public String buildZimFixedNonceIv() {
    return ZegoToken04.builder().appId(APP_ID).serverSecret(secret).userId(USER).lifetimeSeconds(3600)
        .issuedAt(issuedAt).nonce(424242).iv("0123456789abcdef").build().token();
  }

  @Benchmark
  public String buildRoom() {
    return ZegoToken04.builder().appId(APP_ID).serverSecret(secret).userId(USER).lifetimeSeconds(3600)
        .room(room).build().token();
  }

  @Benchmark
  public Object decryptVerifyZim() {
    return verifier.verify(zimToken);
  }

  @Benchmark
  public Object decryptVerifyRoom() {
    return verifier.verify(roomToken);
  }

  @Benchmark
  @Threads(2)
  public String buildZim_threads2() {
    return buildZim();
  }

  @Benchmark
  @Threads(2)
  public String buildZimFixedNonceIv_threads2() {
    return buildZimFixedNonceIv();
  }

  @Benchmark
  @Threads(2)
  public Object decryptVerifyZim_threads2() {
    return decryptVerifyZim();
  }
}
