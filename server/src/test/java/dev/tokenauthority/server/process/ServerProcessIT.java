package dev.tokenauthority.server.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.IssuedToken;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.zego04.Token04Verifier;
import dev.tokenauthority.server.testing.PerCallDeadline;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar as a process: serve with a config, answer over a socket, stop on SIGTERM, never log a secret. */
class ServerProcessIT {
  static final Pattern LISTENING = Pattern.compile("LISTENING (\\S+):(\\d+)");

  @TempDir Path dir;

  /** A running `java -jar token-authority.jar ...` with its output collected line by line. */
  static final class Proc implements AutoCloseable {
    final Process process;
    final List<String> out = new CopyOnWriteArrayList<>();
    final List<String> err = new CopyOnWriteArrayList<>();
    final BlockingQueue<String> outQueue = new LinkedBlockingQueue<>();
    final BlockingQueue<String> errQueue = new LinkedBlockingQueue<>();
    final List<Thread> pumps = new CopyOnWriteArrayList<>();

    Proc(Map<String, String> env, String... args) throws Exception {
      String jar = System.getProperty("tokenauthority.jar");
      assertThat(jar).as("system property tokenauthority.jar").isNotNull();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder();
      pb.command().addAll(List.of(java, "-jar", jar));
      pb.command().addAll(List.of(args));
      pb.environment().putAll(env);
      process = pb.start();
      pumps.add(pump(process.getInputStream(), out, outQueue));
      pumps.add(pump(process.getErrorStream(), err, errQueue));
    }

    /** Waits for the process to end and its output to be read completely. */
    void awaitExit() throws Exception {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process exits").isTrue();
      for (Thread t : pumps) {
        t.join(10_000);
      }
    }

    /** Waits until a stderr line contains {@code text}. */
    String awaitErr(String text) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        String line = errQueue.poll(1, TimeUnit.SECONDS);
        if (line != null && line.contains(text)) {
          return line;
        }
      }
      throw new AssertionError("no stderr line with " + text + "; stderr: " + err);
    }

    private static Thread pump(InputStream in, List<String> lines, BlockingQueue<String> queue) {
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            lines.add(line);
            queue.add(line);
          }
        } catch (Exception ignored) {
          // process ended
        }
      });
      t.setDaemon(true);
      t.start();
      return t;
    }

    int awaitPort() throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        String line = outQueue.poll(1, TimeUnit.SECONDS);
        if (line != null) {
          Matcher m = LISTENING.matcher(line);
          if (m.matches()) {
            return Integer.parseInt(m.group(2));
          }
        }
        if (!process.isAlive()) {
          break;
        }
      }
      throw new AssertionError("no LISTENING line; stderr: " + err);
    }

    List<String> allLines() {
      List<String> all = new java.util.ArrayList<>(out);
      all.addAll(err);
      return all;
    }

    @Override
    public void close() throws Exception {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  static String hex32() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Test
  void servesWithAConfigFileStopsOnSigtermAndNeverLogsASecret() throws Exception {
    String appId = hex32();
    String cert = hex32();
    String zegoSecret = hex32();
    Files.writeString(dir.resolve("ta.yaml"), """
        listen: {address: 127.0.0.1, port: 50051}
        apps:
          rtc: {vendor: agora, app_id: %s, certificate: {env: TA_RTC_CERT}}
          zim: {vendor: zego, app_id: 7, server_secret: {file: zego.secret}}
        callers:
          - identity: local
            apps: ["*"]
            rpcs: ["*"]
        shutdown: {grace_seconds: 5}
        """.formatted(appId));
    Files.writeString(dir.resolve("zego.secret"), zegoSecret + "\n");
    try (Proc p = new Proc(Map.of("TA_RTC_CERT", cert), "serve", "--config", dir.resolve("ta.yaml").toString(),
        "--port", "0")) {
      int port = p.awaitPort();
      ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
          .intercept(PerCallDeadline.standard()).build();
      try {
        IssuedToken t = TokenAuthorityServiceGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS)
            .issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("rtc").setChannelName("proc").setUid(1)
                .setRole(RtcRole.RTC_ROLE_PUBLISHER).setLifetimeSeconds(120).build()).getIssuedToken();
        AccessToken2 c = new AccessToken2Verifier(Clock.systemUTC()).verify(t.getToken(), List.of(Secret.of(cert)))
            .claims();
        assertThat(c.appId()).isEqualTo(appId);
        assertThat(c.rtc().orElseThrow().channelName()).isEqualTo("proc");
        assertThat(HealthGrpc.newBlockingStub(ch).check(HealthCheckRequest.getDefaultInstance()).getStatus())
            .isEqualTo(ServingStatus.SERVING);

        // SIGTERM: the shutdown hook drains and stops. Through ProcessHandle, because
        // Process.destroy() also closes our ends of the pipes and would lose what the hook logs.
        p.process.toHandle().destroy();
        p.awaitExit();
        List<String> lines = p.allLines();
        // Logged from the server's shutdown hook while java.util.logging's own hook would reset
        // (close and remove) every handler: these lines survive only if that reset waits.
        assertThat(p.err).anySatisfy(l -> assertThat(l)
            .contains("INFO dev.tokenauthority.server.TokenAuthorityServer: draining: health NOT_SERVING"));
        assertThat(p.err).anySatisfy(l -> assertThat(l)
            .endsWith("INFO dev.tokenauthority.server.TokenAuthorityServer: stopped"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"rpc\":\"IssueRtcToken\"").contains("\"outcome\":\"ok\""));
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains(cert));
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains(zegoSecret));
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains(t.getToken()));
      } finally {
        ch.shutdownNow();
      }
    }
  }

  @Test
  void aRunningServerReloadsItsConfigFileRefusingABadOneAndNeverLogsASecret() throws Exception {
    String oldSecret = hex32();
    String newSecret = hex32();
    Path file = dir.resolve("ta.yaml");
    String allowed = """
        listen: {address: 127.0.0.1, port: 0}
        apps:
          zim: {vendor: zego, app_id: 7, server_secret: {file: zego.secret}}
        callers:
          - identity: local
            apps: ["*"]
            rpcs: %s
        """;
    replace(dir.resolve("zego.secret"), oldSecret);
    replace(file, allowed.formatted("[InspectToken]"));
    try (Proc p = new Proc(Map.of(), "serve", "--config", file.toString(), "--port", "0", "--reload-interval", "1")) {
      int port = p.awaitPort();
      ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
          .intercept(PerCallDeadline.standard()).build();
      try {
        var stub = TokenAuthorityServiceGrpc.newBlockingStub(ch);
        IssueZimTokenRequest zim = IssueZimTokenRequest.newBuilder().setApp("zim").setUserId("u1").build();
        StatusRuntimeException denied = org.assertj.core.api.Assertions.catchThrowableOfType(
            StatusRuntimeException.class, () -> stub.withDeadlineAfter(20, TimeUnit.SECONDS).issueZimToken(zim));
        assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);

        replace(file, allowed.formatted("[InspectToken, IssueZimToken]") + "limitz: {}\n");
        assertThat(p.awaitErr("configuration reload refused")).contains("limitz");

        replace(dir.resolve("zego.secret"), newSecret);
        replace(file, allowed.formatted("[InspectToken, IssueZimToken]"));
        assertThat(p.awaitErr("configuration reloaded from")).contains("changed [zim]");
        String token = stub.withDeadlineAfter(20, TimeUnit.SECONDS).issueZimToken(zim).getIssuedToken().getToken();
        assertThat(Token04Verifier.builder().serverSecrets(List.of(Secret.of(newSecret)))
            .clock(Clock.systemUTC()).expectedAppId(7).build().verify(token).claims().userId()).isEqualTo("u1");

        List<String> lines = p.allLines();
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains(oldSecret));
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains(newSecret));
      } finally {
        ch.shutdownNow();
      }
    }
  }

  /** Replaces a file in one step, as editors and Kubernetes volume updates do. */
  private static void replace(Path target, String text) throws Exception {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(tmp, text + "\n");
    Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void developmentDefaultPrintsAppIdsAndAWarning() throws Exception {
    try (Proc p = new Proc(Map.of(), "serve", "--port", "0")) {
      p.awaitPort();
      assertThat(p.out).anySatisfy(l -> assertThat(l).startsWith("demo app agora: vendor=agora app_id="));
      assertThat(p.out).anySatisfy(l -> assertThat(l).startsWith("demo app zego: vendor=zego app_id="));
      // The jar's default logging (DefaultLogConfigurator): our plain format, and nothing else
      // before it (without a configurator, Logback's basic console format would print it too).
      assertThat(p.awaitErr("NOT FOR PRODUCTION")).matches(
          "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z WARN dev\\.tokenauthority\\.server\\.ServeCommand: "
              + "DEVELOPMENT MODE - NOT FOR PRODUCTION: .*");
      // stdout is read in order: its demo app lines came after any basic-format warning there.
      assertThat(p.out).noneMatch(l -> l.contains("NOT FOR PRODUCTION"));
      assertThat(p.err).filteredOn(l -> l.contains("NOT FOR PRODUCTION")).hasSize(1);
    }
  }

  @Test
  void theDevelopmentDefaultRefusesToListenBeyondLoopback() throws Exception {
    try (Proc p = new Proc(Map.of(), "serve", "--listen", "0.0.0.0", "--port", "0")) {
      p.awaitExit();
      assertThat(p.process.exitValue()).isEqualTo(2);
      assertThat(String.join("\n", p.err)).contains("--listen", "not loopback", "requires tls");
      assertThat(p.out).noneSatisfy(l -> assertThat(l).startsWith("LISTENING"));
    }
  }

  @Test
  void aBadConfigStopsStartUpNamingTheKey() throws Exception {
    Files.writeString(dir.resolve("bad.yaml"), "apps: {}\nlisten: {adress: 1.2.3.4}\n");
    try (Proc p = new Proc(Map.of(), "serve", "--config", dir.resolve("bad.yaml").toString())) {
      p.awaitExit();
      assertThat(p.process.exitValue()).isEqualTo(2);
      assertThat(String.join("\n", p.err)).contains("listen.adress");
    }
  }
}
