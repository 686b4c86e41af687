package dev.tokenauthority.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.InspectTokenResponse;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's mTLS channel against a real Netty TLS server that requires client certificates. */
class TokenAuthorityClientMtlsTest {
  @TempDir Path dir;
  private TestPki pki;
  private Server server;

  @BeforeEach
  void startServer() throws Exception {
    pki = new TestPki("test-ca");
    pki.writeCa(dir.resolve("ca.pem"));
    pki.server("localhost").writeTo(dir.resolve("server.pem"), dir.resolve("server.key"));
    server = startServer(0);
  }

  private Server startServer(int port) throws Exception {
    ServerCredentials credentials = TlsServerCredentials.newBuilder()
        .keyManager(dir.resolve("server.pem").toFile(), dir.resolve("server.key").toFile())
        .trustManager(dir.resolve("ca.pem").toFile())
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
        .build();
    return Grpc.newServerBuilderForPort(port, credentials)
        .addService(ServerInterceptors.intercept(new PeerEchoService(), new PeerInterceptor()))
        .build()
        .start();
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private TokenAuthorityClient.Builder mtlsClient(Path cert, Path key) {
    return TokenAuthorityClient.builder()
        .target("localhost:" + server.getPort())
        .mtls(cert, key, dir.resolve("ca.pem"))
        .defaultDeadline(Duration.ofSeconds(10))
        .retryPolicy(RetryPolicy.NONE);
  }

  private static String peer(TokenAuthorityClient client) {
    return client.inspectToken(InspectTokenRequest.getDefaultInstance()).getSubject();
  }

  @Test
  void presentsTheClientCertificateAndVerifiesTheServer() throws Exception {
    pki.client("billing", "spiffe://example.org/billing").writeTo(dir.resolve("c.pem"), dir.resolve("c.key"));

    try (TokenAuthorityClient client = mtlsClient(dir.resolve("c.pem"), dir.resolve("c.key")).build()) {
      assertThat(peer(client)).isEqualTo("CN=billing");
    }
  }

  @Test
  void aServerFromAnotherCaIsRefused() throws Exception {
    pki.client("billing", "spiffe://example.org/billing").writeTo(dir.resolve("c.pem"), dir.resolve("c.key"));
    new TestPki("other-ca").writeCa(dir.resolve("other-ca.pem"));

    try (TokenAuthorityClient client = TokenAuthorityClient.builder()
        .target("localhost:" + server.getPort())
        .mtls(dir.resolve("c.pem"), dir.resolve("c.key"), dir.resolve("other-ca.pem"))
        .retryPolicy(RetryPolicy.NONE)
        .build()) {
      assertThatThrownBy(() -> peer(client)).isInstanceOfSatisfying(StatusRuntimeException.class,
          e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
  }

  @Test
  void aClientCertificateFromAnotherCaIsRefusedByTheServer() throws Exception {
    new TestPki("other-ca").client("intruder", "spiffe://example.org/intruder")
        .writeTo(dir.resolve("x.pem"), dir.resolve("x.key"));

    try (TokenAuthorityClient client = mtlsClient(dir.resolve("x.pem"), dir.resolve("x.key")).build()) {
      assertThatThrownBy(() -> peer(client)).isInstanceOfSatisfying(StatusRuntimeException.class,
          e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
  }

  @Test
  void aRotatedClientCertificateIsPickedUpWithoutRebuildingTheClient() throws Exception {
    Path cert = dir.resolve("c.pem");
    Path key = dir.resolve("c.key");
    pki.client("before", "spiffe://example.org/svc").writeTo(cert, key);

    // grpc-java re-reads the files at most once a minute, so this test takes about that long.
    try (TokenAuthorityClient client = mtlsClient(cert, key).tlsRefresh(Duration.ofMinutes(1)).build()) {
      assertThat(peer(client)).isEqualTo("CN=before");

      // Rotate as cert-manager would: write new files, then move them into place.
      pki.client("after", "spiffe://example.org/svc").writeTo(dir.resolve("n.pem"), dir.resolve("n.key"));
      Files.move(dir.resolve("n.key"), key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.move(dir.resolve("n.pem"), cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

      // Wait, bounded, for the reloader to swap the key manager's certificate.
      Instant giveUp = Instant.now().plusSeconds(150);
      while (client.tls().currentCertificate().getSubjectX500Principal().getName().equals("CN=before")
          && Instant.now().isBefore(giveUp)) {
        Thread.sleep(250);
      }
      assertThat(client.tls().currentCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=after");

      // A new connection presents the rotated certificate. Restart the server first: a TLS
      // session resumed from the old connection would still carry the old peer certificate.
      int port = server.getPort();
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server = startServer(port);
      client.channel().enterIdle();
      assertThat(peer(client)).isEqualTo("CN=after");
    }
  }

  @Test
  void unreadableFilesFailAtBuildTime() {
    assertThatThrownBy(() -> mtlsClient(dir.resolve("missing.pem"), dir.resolve("missing.key")).build())
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining("missing.pem");
  }

  /** Puts the verified peer certificate's subject where the service can read it. */
  private static final class PeerInterceptor implements ServerInterceptor {
    static final io.grpc.Context.Key<String> PEER = io.grpc.Context.key("peer");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      String subject;
      try {
        subject = ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
      } catch (SSLPeerUnverifiedException | NullPointerException e) {
        subject = "none";
      }
      return io.grpc.Contexts.interceptCall(io.grpc.Context.current().withValue(PEER, subject), call, headers, next);
    }
  }

  private static final class PeerEchoService extends TokenAuthorityServiceGrpc.TokenAuthorityServiceImplBase {
    @Override
    public void inspectToken(InspectTokenRequest request, StreamObserver<InspectTokenResponse> observer) {
      observer.onNext(InspectTokenResponse.newBuilder().setSubject(PeerInterceptor.PEER.get()).build());
      observer.onCompleted();
    }
  }
}
