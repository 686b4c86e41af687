package dev.tokenauthority.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.InspectTokenResponse;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueRtcTokenResponse;
import dev.tokenauthority.api.v1.IssuedToken;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
  private final PeerEchoService service = new PeerEchoService();
  private final ExecutorService callers = Executors.newCachedThreadPool();

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
        .addService(ServerInterceptors.intercept(service, new PeerInterceptor()))
        .build()
        .start();
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    service.release.countDown();
    callers.shutdownNow();
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
  void aRotatedClientCertificateMovesNewCallsToAFreshChannelWhileTheServerKeepsRunning() throws Exception {
    Path cert = dir.resolve("c.pem");
    Path key = dir.resolve("c.key");
    pki.client("before", "spiffe://example.org/svc").writeTo(cert, key);

    try (TokenAuthorityClient client = mtlsClient(cert, key).tlsRefresh(Duration.ofSeconds(1)).build()) {
      assertThat(peer(client)).isEqualTo("CN=before");
      ManagedChannel first = client.channel();
      CompletableFuture<String> inFlight = slowCall(client);

      rotate(cert, key, "after");

      // New calls present the new certificate to the same, never restarted, server.
      assertThat(awaitPeer(client, "CN=after")).isEqualTo("CN=after");
      assertThat(client.channel()).isNotSameAs(first);
      // The old channel takes no new calls but lets the one in flight finish, then closes.
      assertThat(first.isShutdown()).isTrue();
      assertThat(inFlight).isNotDone();
      service.release.countDown();
      assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("CN=before");
      assertThat(first.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      assertThat(peer(client)).isEqualTo("CN=after");
    }
  }

  @Test
  void closeEndsTheCurrentChannelAndOneStillDrainingAfterARotation() throws Exception {
    Path cert = dir.resolve("c.pem");
    Path key = dir.resolve("c.key");
    pki.client("before", "spiffe://example.org/svc").writeTo(cert, key);

    TokenAuthorityClient client = mtlsClient(cert, key).tlsRefresh(Duration.ofSeconds(1)).build();
    ManagedChannel first;
    ManagedChannel second;
    CompletableFuture<String> inFlight;
    try {
      assertThat(peer(client)).isEqualTo("CN=before");
      first = client.channel();
      inFlight = slowCall(client);
      rotate(cert, key, "after");
      assertThat(awaitPeer(client, "CN=after")).isEqualTo("CN=after");
      second = client.channel();
      assertThat(first.isTerminated()).as("draining its call").isFalse();
    } finally {
      client.close(); // the call in flight gets close's short grace, then is cancelled
    }
    try {
      assertThat(first.isTerminated()).isTrue();
      assertThat(second.isTerminated()).isTrue();
      assertThatThrownBy(() -> inFlight.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StatusRuntimeException.class);
    } finally {
      service.release.countDown();
    }
  }

  @Test
  void aCertificateAndKeyThatDoNotBelongTogetherAreNotUsed() throws Exception {
    pki.client("good", "spiffe://example.org/svc").writeTo(dir.resolve("c.pem"), dir.resolve("c.key"));
    pki.client("other", "spiffe://example.org/svc").writeTo(dir.resolve("o.pem"), dir.resolve("o.key"));

    assertThatThrownBy(() -> PemTls.load(dir.resolve("c.pem"), dir.resolve("o.key"), dir.resolve("ca.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not belong");

    // A rotation caught between moving the key and the certificate keeps the pair in use.
    PemTls tls = PemTls.load(dir.resolve("c.pem"), dir.resolve("c.key"), dir.resolve("ca.pem"));
    Files.copy(dir.resolve("o.key"), dir.resolve("c.key"), StandardCopyOption.REPLACE_EXISTING);
    tls.reload();
    assertThat(tls.currentCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=good");
    Files.copy(dir.resolve("o.pem"), dir.resolve("c.pem"), StandardCopyOption.REPLACE_EXISTING);
    tls.reload();
    assertThat(tls.currentCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=other");
  }

  /** Rotates as cert-manager or a SPIFFE helper would: new files moved into place. */
  private void rotate(Path cert, Path key, String commonName) throws Exception {
    pki.client(commonName, "spiffe://example.org/svc").writeTo(dir.resolve("n.pem"), dir.resolve("n.key"));
    Files.move(dir.resolve("n.key"), key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.move(dir.resolve("n.pem"), cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Calls until the server sees {@code expected} (bounded: reloads run every second). */
  private static String awaitPeer(TokenAuthorityClient client, String expected) throws InterruptedException {
    Instant giveUp = Instant.now().plusSeconds(30);
    String seen = peer(client);
    while (!seen.equals(expected) && Instant.now().isBefore(giveUp)) {
      Thread.sleep(100);
      seen = peer(client);
    }
    return seen;
  }

  /** A call the server holds until {@code service.release}; returns the subject the server saw. */
  private CompletableFuture<String> slowCall(TokenAuthorityClient client) throws InterruptedException {
    CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> client.stub()
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .issueRtcToken(IssueRtcTokenRequest.getDefaultInstance()).getIssuedToken().getToken(), callers);
    assertThat(service.entered.await(10, TimeUnit.SECONDS)).as("slow call reached the server").isTrue();
    return call;
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
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    /** Held until {@link #release}: a call in flight; answers with the subject it saw. */
    @Override
    public void issueRtcToken(IssueRtcTokenRequest request, StreamObserver<IssueRtcTokenResponse> observer) {
      String subject = PeerInterceptor.PEER.get();
      entered.countDown();
      try {
        if (!release.await(60, TimeUnit.SECONDS)) {
          observer.onError(Status.DEADLINE_EXCEEDED.asRuntimeException());
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        observer.onError(Status.CANCELLED.asRuntimeException());
        return;
      }
      observer.onNext(IssueRtcTokenResponse.newBuilder()
          .setIssuedToken(IssuedToken.newBuilder().setToken(subject)).build());
      observer.onCompleted();
    }

    @Override
    public void inspectToken(InspectTokenRequest request, StreamObserver<InspectTokenResponse> observer) {
      observer.onNext(InspectTokenResponse.newBuilder().setSubject(PeerInterceptor.PEER.get()).build());
      observer.onCompleted();
    }
  }
}
