package dev.tokenauthority.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.InspectTokenResponse;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.IssuedToken;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.Validity;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client and renewer against the REAL server jar over mTLS: certificates from
 * {@link TestPki}, a config file on port 0, credentials passed to the process by environment.
 */
class RealServerIT {
  @TempDir static Path dir;
  private static Process server;
  private static final List<String> serverOutput = new ArrayList<>();
  private static TokenAuthorityClient client;
  private static TestPki pki;
  private static int port;

  @BeforeAll
  static void startServer() throws Exception {
    Path jar = Path.of(System.getProperty("tokenauthority.server.jar", "../server/target/token-authority.jar"));
    assertThat(jar).as("server jar (build the server module first)").isRegularFile();
    pki = new TestPki("java-it-ca");
    pki.writeCa(dir.resolve("ca.pem"));
    pki.server("localhost").writeTo(dir.resolve("server.pem"), dir.resolve("server.key"));
    pki.client("java-it", "spiffe://tokenauthority.test/java-it").writeTo(dir.resolve("client.pem"), dir.resolve("client.key"));
    HexFormat hex = HexFormat.of();
    SecureRandom random = new SecureRandom();
    Files.writeString(dir.resolve("config.yaml"), String.join("\n",
        "listen: {address: 127.0.0.1, port: 0}",
        "tls:",
        "  certificate_file: server.pem",
        "  private_key_file: server.key",
        "  client_ca_file: ca.pem",
        "apps:",
        "  it-agora: {vendor: agora, app_id: " + hex.formatHex(random.generateSeed(16)) + ", certificate: {env: IT_AGORA_CERT}}",
        "  it-zego: {vendor: zego, app_id: 424242, server_secret: {env: IT_ZEGO_SECRET}}",
        "callers:",
        "  - identity: spiffe://tokenauthority.test/java-it",
        "    apps: [\"*\"]",
        "    rpcs: [\"*\"]",
        ""));
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar.toAbsolutePath().toString(), "serve",
        "--config", dir.resolve("config.yaml").toString()).redirectErrorStream(true);
    pb.environment().put("IT_AGORA_CERT", hex.formatHex(random.generateSeed(16)));
    pb.environment().put("IT_ZEGO_SECRET", hex.formatHex(random.generateSeed(16)));
    server = pb.start();
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (serverOutput) {
            serverOutput.add(line);
          }
          if (line.startsWith("LISTENING ")) {
            listening.complete(Integer.parseInt(line.substring(line.lastIndexOf(':') + 1)));
          }
        }
      } catch (Exception e) {
        listening.completeExceptionally(e);
      }
      listening.completeExceptionally(new IllegalStateException("server exited: " + output()));
    }, "server-output");
    reader.setDaemon(true);
    reader.start();
    port = listening.get(90, TimeUnit.SECONDS);
    client = TokenAuthorityClient.builder()
        .target("localhost:" + port)
        .mtls(dir.resolve("client.pem"), dir.resolve("client.key"), dir.resolve("ca.pem"))
        .defaultDeadline(Duration.ofSeconds(20))
        .build();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private static String output() {
    synchronized (serverOutput) {
      return String.join("\n", serverOutput);
    }
  }

  private static InspectTokenResponse inspect(IssuedToken token) {
    return client.inspectToken(InspectTokenRequest.newBuilder().setToken(token.getToken()).setApp(token.getApp()).build());
  }

  private static IssuedToken issueRtc(long lifetime) {
    return client.issueRtcToken(IssueRtcTokenRequest.newBuilder()
        .setApp("it-agora").setChannelName("java-it-room").setUid(31337)
        .setRole(RtcRole.RTC_ROLE_SUBSCRIBER).setLifetimeSeconds(lifetime).build()).getIssuedToken();
  }

  @Test
  void issuesOverMtlsAndTheTokenInspectsValid() {
    IssuedToken token = issueRtc(600);

    InspectTokenResponse info = inspect(token);
    assertThat(info.getValidity()).isEqualTo(Validity.VALIDITY_VALID);
    assertThat(info.getSubject()).isEqualTo("31337");
    assertThat(info.getChannel()).isEqualTo("java-it-room");
    assertThat(info.getExpiresAt()).isEqualTo(token.getExpiresAt());

    IssuedToken zim = client.issueZimToken(IssueZimTokenRequest.newBuilder()
        .setApp("it-zego").setUserId("java-it-user").setLifetimeSeconds(600).build()).getIssuedToken();
    assertThat(inspect(zim).getValidity()).isEqualTo(Validity.VALIDITY_VALID);
  }

  @Test
  void theRenewerRenewsThroughTheRealRenewToken() {
    IssuedToken initial = issueRtc(600);
    List<IssuedToken> renewed = new ArrayList<>();
    // Real server, fake scheduling: the renewer's clock starts now and is advanced by the test.
    FakeTime time = new FakeTime(Instant.now());
    try (TokenRenewer renewer = TokenRenewer.builder()
        .clock(time).scheduler(time)
        .initialToken(initial)
        .renewFunction(client::renew)
        .leadTime(Duration.ofSeconds(30)).maxJitter(Duration.ZERO)
        .listener(renewed::add)
        .build().start()) {
      time.advance(Duration.ofSeconds(571));

      assertThat(renewed).hasSize(1);
      IssuedToken fresh = renewed.get(0);
      assertThat(fresh.getToken()).isNotEqualTo(initial.getToken());
      assertThat(renewer.currentToken()).isEqualTo(fresh);
      InspectTokenResponse before = inspect(initial);
      InspectTokenResponse after = inspect(fresh);
      assertThat(after.getValidity()).isEqualTo(Validity.VALIDITY_VALID);
      assertThat(after.getSubject()).isEqualTo(before.getSubject());
      assertThat(after.getChannel()).isEqualTo(before.getChannel());
      assertThat(after.getPrivilegesList()).extracting(p -> p.getName())
          .containsExactlyElementsOf(before.getPrivilegesList().stream().map(p -> p.getName()).toList());
    }
  }

  @Test
  void anUnknownCallerIsDenied() throws Exception {
    pki.client("stranger", "spiffe://tokenauthority.test/stranger").writeTo(dir.resolve("s.pem"), dir.resolve("s.key"));
    try (TokenAuthorityClient stranger = TokenAuthorityClient.builder()
        .target("localhost:" + port)
        .mtls(dir.resolve("s.pem"), dir.resolve("s.key"), dir.resolve("ca.pem"))
        .build()) {
      assertThatThrownBy(() -> stranger.issueRtcToken(IssueRtcTokenRequest.newBuilder()
          .setApp("it-agora").setChannelName("x").setUid(1).setRole(RtcRole.RTC_ROLE_SUBSCRIBER).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }
  }

  @Test
  void aLongLivedClientOutlivesItsFirstShortLivedCertificate() throws Exception {
    Path cert = dir.resolve("short.pem");
    Path key = dir.resolve("short.key");
    String spiffeId = "spiffe://tokenauthority.test/java-it";
    Instant firstExpires = Instant.now().plusSeconds(8);
    pki.client("short-1", spiffeId, firstExpires).writeTo(cert, key);
    try (TokenAuthorityClient shortLived = TokenAuthorityClient.builder()
        .target("localhost:" + port)
        .mtls(cert, key, dir.resolve("ca.pem"))
        .tlsRefresh(Duration.ofSeconds(1))
        .build()) {
      IssueRtcTokenRequest request = IssueRtcTokenRequest.newBuilder()
          .setApp("it-agora").setChannelName("java-it-room").setUid(7).setRole(RtcRole.RTC_ROLE_SUBSCRIBER).build();
      assertThat(shortLived.issueRtcToken(request).getIssuedToken().getToken()).isNotEmpty();

      // Renewed before expiry, as a SPIFFE helper or cert-manager does; the server keeps running.
      pki.client("short-2", spiffeId, Instant.now().plus(Duration.ofDays(1)))
          .writeTo(dir.resolve("short-next.pem"), dir.resolve("short-next.key"));
      Files.move(dir.resolve("short-next.key"), key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.move(dir.resolve("short-next.pem"), cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      while (Instant.now().isBefore(firstExpires.plusSeconds(1))) {
        Thread.sleep(200);
      }

      // The server checks the certificate on every call: the first one would be refused with
      // UNAUTHENTICATED CLIENT_CERTIFICATE_EXPIRED had the client kept its first connection.
      assertThat(shortLived.issueRtcToken(request).getIssuedToken().getToken()).isNotEmpty();
    }
  }
}
