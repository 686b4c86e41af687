package dev.tokenauthority.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.testing.PerCallDeadline;
import dev.tokenauthority.server.testing.TestPki;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mTLS costs little here because both ends do TLS in BoringSSL (grpc-netty-shaded's bundled
 * netty-tcnative), not in the JDK's SSLEngine, which costs several times more CPU per record.
 * TlsSetup hands grpc a key manager and a trust manager (for hot reload), and grpc-netty still
 * picks OpenSSL for those when the native library loads. This guards that choice on both ends of a
 * real connection: a build that lost the native library, or credentials grpc could only serve
 * with the JDK provider, would fail here rather than quietly halve mTLS throughput.
 */
class TlsProviderTest {
  @TempDir Path dir;

  @Test
  void serverAndClientRunTls13OnBoringSsl() throws Exception {
    TestPki pki = TestPki.create(dir, "provider");
    TestPki.Issued serverCert = pki.server("server");
    TestPki.Issued client = pki.client("client", "spiffe://test.example/client", null, "client");
    ServerConfig.Tls tls = new ServerConfig.Tls(serverCert.certificate(), serverCert.privateKey(),
        Optional.of(pki.caFile()), ServerConfig.ClientAuth.REQUIRED, Duration.ofMinutes(1));
    AtomicReference<SSLSession> serverSession = new AtomicReference<>();
    AtomicReference<SSLSession> clientSession = new AtomicReference<>();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    Server server = null;
    ManagedChannel channel = null;
    try (TlsSetup setup = TlsSetup.create(tls, scheduler)) {
      server = Grpc.newServerBuilderForPort(0, setup.credentials())
          .addService(ServerInterceptors.intercept(new HealthStatusManager().getHealthService(),
              serverSessionInto(serverSession)))
          .build().start();
      channel = Grpc.newChannelBuilderForAddress("localhost", server.getPort(), TlsChannelCredentials.newBuilder()
              .trustManager(pki.caFile().toFile())
              .keyManager(client.certificate().toFile(), client.privateKey().toFile()).build())
          .intercept(PerCallDeadline.standard(), clientSessionInto(clientSession))
          .build();

      HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());

      for (SSLSession s : new SSLSession[] {serverSession.get(), clientSession.get()}) {
        assertThat(s).as("TLS session").isNotNull();
        assertThat(s.getClass().getName()).as("session of the BoringSSL engine, not sun.security.ssl")
            .contains("io.grpc.netty.shaded.io.netty.handler.ssl.").contains("OpenSsl");
        assertThat(s.getProtocol()).isEqualTo("TLSv1.3");
      }
      assertThat(serverSession.get().getPeerCertificates()).as("the verified client certificate").hasSize(1);
    } finally {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      if (server != null) {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      scheduler.shutdownNow();
    }
  }

  private static ServerInterceptor serverSessionInto(AtomicReference<SSLSession> into) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        into.set(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        return next.startCall(call, headers);
      }
    };
  }

  private static ClientInterceptor clientSessionInto(AtomicReference<SSLSession> into) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            ClientCall<Q, R> call = this;
            super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onHeaders(Metadata h) {
                into.set(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
                super.onHeaders(h);
              }
            }, headers);
          }
        };
      }
    };
  }
}
