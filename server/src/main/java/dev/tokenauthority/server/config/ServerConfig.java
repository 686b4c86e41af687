package dev.tokenauthority.server.config;

import dev.tokenauthority.server.policy.CallerPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One immutable, fully validated configuration snapshot. Handlers read the current snapshot per
 * call from {@link ConfigHolder}, so a reload can swap it atomically.
 *
 * @param development true for the built-in development default (plaintext, identity "local")
 * @param healthListen optional plaintext listener serving only grpc.health.v1 (probes); it may
 *     bind beyond loopback without TLS because it exposes nothing but serving status
 */
public record ServerConfig(
    Listen listen,
    Optional<Tls> tls,
    Map<String, AppConfig> apps,
    Map<String, CallerPolicy> callers,
    Duration renewalGrace,
    Limits limits,
    Shutdown shutdown,
    boolean development,
    Optional<Listen> healthListen,
    ObservabilityConfig observability) {

  public ServerConfig {
    apps = Map.copyOf(apps);
    callers = Map.copyOf(callers);
    healthListen = healthListen == null ? Optional.empty() : healthListen;
    observability = observability == null
        ? (development ? ObservabilityConfig.development() : ObservabilityConfig.defaults()) : observability;
  }

  /** Default logs, audit and metrics (see {@link ObservabilityConfig#defaults()}). */
  public ServerConfig(Listen listen, Optional<Tls> tls, Map<String, AppConfig> apps,
      Map<String, CallerPolicy> callers, Duration renewalGrace, Limits limits, Shutdown shutdown,
      boolean development, Optional<Listen> healthListen) {
    this(listen, tls, apps, callers, renewalGrace, limits, shutdown, development, healthListen, null);
  }

  /** Without a separate health listener (the original shape; kept for existing callers). */
  public ServerConfig(Listen listen, Optional<Tls> tls, Map<String, AppConfig> apps,
      Map<String, CallerPolicy> callers, Duration renewalGrace, Limits limits, Shutdown shutdown,
      boolean development) {
    this(listen, tls, apps, callers, renewalGrace, limits, shutdown, development, Optional.empty(), null);
  }

  public Optional<AppConfig> app(String name) {
    return Optional.ofNullable(apps.get(name));
  }

  public Optional<CallerPolicy> caller(String identity) {
    return Optional.ofNullable(callers.get(identity));
  }

  /** The same snapshot listening elsewhere (command-line override; port 0 = ephemeral). */
  public ServerConfig withListen(Listen newListen) {
    return new ServerConfig(newListen, tls, apps, callers, renewalGrace, limits, shutdown, development,
        healthListen, observability);
  }

  /**
   * The same snapshot with a plaintext listener that serves grpc.health.v1 alone (port 0 =
   * ephemeral). It exists for probes that cannot do mTLS, such as the kubelet's gRPC probes.
   */
  public ServerConfig withHealthListen(Listen newHealthListen) {
    return new ServerConfig(listen, tls, apps, callers, renewalGrace, limits, shutdown, development,
        Optional.of(newHealthListen), observability);
  }

  /** The same snapshot with other logging, audit, metrics or tracing settings. */
  public ServerConfig withObservability(ObservabilityConfig o) {
    return new ServerConfig(listen, tls, apps, callers, renewalGrace, limits, shutdown, development,
        healthListen, o);
  }

  public record Listen(String host, int port) {}

  /**
   * @param clientCaFile trust bundle for client certificates; without it no client can authenticate
   * @param clientAuth whether a client certificate is required
   * @param reloadInterval how often certificate, key and CA files are re-read
   */
  public record Tls(
      Path certificateFile, Path privateKeyFile, Optional<Path> clientCaFile, ClientAuth clientAuth,
      Duration reloadInterval) {}

  public enum ClientAuth {
    REQUIRED,
    OPTIONAL,
    NONE
  }

  /**
   * @param handlerThreads threads that run handlers (the bounded executor)
   * @param maxConcurrentCalls calls in progress beyond which new ones get RESOURCE_EXHAUSTED
   * @param maxInboundMessageBytes largest request accepted
   */
  public record Limits(int handlerThreads, int maxConcurrentCalls, int maxInboundMessageBytes) {}

  /**
   * @param drainDelay how long health reports NOT_SERVING before the listener closes
   * @param grace how long in-flight calls may run after the listener closed
   */
  public record Shutdown(Duration drainDelay, Duration grace) {}
}
