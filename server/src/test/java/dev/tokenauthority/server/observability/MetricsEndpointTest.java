package dev.tokenauthority.server.observability;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.server.config.ObservabilityConfig;
import dev.tokenauthority.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
  @Test
  void aBusyPortIsRefusedNamingTheListenerAndTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Telemetry telemetry = Telemetry.create(ObservabilityConfig.defaults().withMetrics(
          new ObservabilityConfig.Metrics(Optional.of(new ServerConfig.Listen("127.0.0.1", port)))));
      try {
        assertThatThrownBy(telemetry::startMetricsEndpoint).isInstanceOf(IOException.class)
            .hasMessageStartingWith("metrics.listen: cannot listen on 127.0.0.1:" + port + ": ");
      } finally {
        telemetry.close();
      }
    }
  }
}
