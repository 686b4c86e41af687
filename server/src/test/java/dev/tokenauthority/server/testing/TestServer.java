package dev.tokenauthority.server.testing;

import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.server.TokenAuthorityServer;
import dev.tokenauthority.server.config.ConfigLoader;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.tokens.CoreTokenEngine;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real server on an ephemeral loopback port, and channels to it; close() stops everything. */
public final class TestServer implements AutoCloseable {
  private final TokenAuthorityServer server;
  private final ServerConfig config;
  private final List<ManagedChannel> channels = new ArrayList<>();

  private TestServer(TokenAuthorityServer server, ServerConfig config) {
    this.server = server;
    this.config = config;
  }

  /** Starts a server from YAML (credentials from {@code env}); the listen port is forced to 0. */
  public static TestServer start(String yaml, Map<String, String> env, Path baseDir, Clock clock) throws Exception {
    ServerConfig cfg = new ConfigLoader(env::get).parse(yaml, baseDir);
    return start(cfg, clock);
  }

  public static TestServer start(ServerConfig cfg, Clock clock) throws Exception {
    return start(cfg, clock, b -> {});
  }

  /** @param customize adds to the builder (telemetry, vendor bridges) before the server starts */
  public static TestServer start(ServerConfig cfg, Clock clock,
      java.util.function.Consumer<TokenAuthorityServer.Builder> customize) throws Exception {
    cfg = cfg.withListen(new ServerConfig.Listen("127.0.0.1", 0));
    LogCapture.registerSecrets(cfg);
    TokenAuthorityServer.Builder b = TokenAuthorityServer.builder(cfg, new CoreTokenEngine()).clock(clock);
    customize.accept(b);
    return new TestServer(b.build().start(), cfg);
  }

  public ServerConfig config() {
    return config;
  }

  public TokenAuthorityServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  public ManagedChannel plaintextChannel() {
    return channel(InsecureChannelCredentials.create());
  }

  /** An mTLS channel; client may be null for "no client certificate". */
  public ManagedChannel tlsChannel(Path trustedCa, TestPki.Issued client) throws Exception {
    TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder().trustManager(trustedCa.toFile());
    if (client != null) {
      b.keyManager(client.certificate().toFile(), client.privateKey().toFile());
    }
    return channel(b.build());
  }

  private ManagedChannel channel(ChannelCredentials creds) {
    ManagedChannel ch = Grpc.newChannelBuilderForAddress("localhost", port(), creds).build();
    channels.add(ch);
    return ch;
  }

  /**
   * A stub whose every call gets a 10 s deadline from when it starts (a stub's own
   * withDeadlineAfter runs from the stub's creation, which a stub kept for a whole class outlives).
   */
  public TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub stub(ManagedChannel ch) {
    return TokenAuthorityServiceGrpc.newBlockingStub(ch).withInterceptors(PER_CALL_DEADLINE);
  }

  private static final io.grpc.ClientInterceptor PER_CALL_DEADLINE = new io.grpc.ClientInterceptor() {
    @Override
    public <Q, R> io.grpc.ClientCall<Q, R> interceptCall(
        io.grpc.MethodDescriptor<Q, R> method, io.grpc.CallOptions options, io.grpc.Channel next) {
      return next.newCall(method, options.getDeadline() != null ? options
          : options.withDeadlineAfter(10, TimeUnit.SECONDS));
    }
  };

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel ch : channels) {
      ch.shutdownNow();
    }
    server.stop();
  }
}
