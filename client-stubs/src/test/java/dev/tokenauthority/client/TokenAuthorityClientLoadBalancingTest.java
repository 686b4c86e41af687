package dev.tokenauthority.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client spreads calls over every address its target resolves to (round_robin), as a
 * headless Service's {@code dns:///} name resolves to every ready pod. Two real servers on
 * loopback behind one target whose resolver returns both; pick_first would send every call to one.
 */
class TokenAuthorityClientLoadBalancingTest {
  private static final String SCHEME = "ta-lb-test";

  private final List<Server> servers = new ArrayList<>();
  private final List<TokenAuthorityClientTest.FakeService> services = new ArrayList<>();
  private final StaticResolverProvider resolver = new StaticResolverProvider();

  @BeforeEach
  void startTwoServers() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int i = 0; i < 2; i++) {
      TokenAuthorityClientTest.FakeService service = new TokenAuthorityClientTest.FakeService();
      Server server = NettyServerBuilder.forAddress(new InetSocketAddress(loopback, 0))
          .addService(service).build().start();
      services.add(service);
      servers.add(server);
      resolver.addresses.add(new InetSocketAddress(loopback, server.getPort()));
    }
    NameResolverRegistry.getDefaultRegistry().register(resolver);
  }

  @AfterEach
  void stop() throws Exception {
    NameResolverRegistry.getDefaultRegistry().deregister(resolver);
    for (Server server : servers) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void callsReachEveryResolvedAddress() {
    try (TokenAuthorityClient client = TokenAuthorityClient.builder()
        .target(SCHEME + ":///token-authority").plaintext().build()) {
      // round_robin only picks READY subchannels: the first calls may all land on whichever
      // connected first, so allow a bounded number of calls for the second to join.
      for (int i = 0; i < 200 && (services.get(0).calls.get() == 0 || services.get(1).calls.get() == 0); i++) {
        client.issueRtmToken(IssueRtmTokenRequest.getDefaultInstance());
      }
      // Once both are ready, strictly alternating picks share the next calls evenly.
      int before0 = services.get(0).calls.get();
      int before1 = services.get(1).calls.get();
      for (int i = 0; i < 10; i++) {
        client.issueRtmToken(IssueRtmTokenRequest.getDefaultInstance());
      }
      assertThat(services.get(0).calls.get() - before0).as("calls to server 0").isEqualTo(5);
      assertThat(services.get(1).calls.get() - before1).as("calls to server 1").isEqualTo(5);
    }
  }

  @Test
  void theServiceConfigNamesRoundRobinWithOrWithoutRetries() {
    assertThat(TokenAuthorityClient.serviceConfig(RetryPolicy.DEFAULT).get("loadBalancingConfig").toString())
        .isEqualTo("[{round_robin={}}]");
    assertThat(TokenAuthorityClient.serviceConfig(RetryPolicy.NONE))
        .containsKey("loadBalancingConfig").doesNotContainKey("methodConfig");
  }

  /** Resolves {@code ta-lb-test:///anything} to a fixed list of addresses, each its own group. */
  private static final class StaticResolverProvider extends NameResolverProvider {
    final List<SocketAddress> addresses = new ArrayList<>();

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
      if (!SCHEME.equals(targetUri.getScheme())) {
        return null;
      }
      return new NameResolver() {
        @Override
        public String getServiceAuthority() {
          return "token-authority";
        }

        @Override
        public void start(Listener2 listener) {
          List<EquivalentAddressGroup> groups = new ArrayList<>();
          for (SocketAddress address : addresses) {
            groups.add(new EquivalentAddressGroup(address));
          }
          listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
        }

        @Override
        public void shutdown() {}
      };
    }

    @Override
    public String getDefaultScheme() {
      return SCHEME;
    }

    @Override
    protected boolean isAvailable() {
      return true;
    }

    @Override
    protected int priority() {
      return 1; // below dns (5): "host:port" targets of other tests keep the dns default scheme
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
      return List.of(InetSocketAddress.class);
    }
  }
}
