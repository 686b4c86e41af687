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
 */
public record ServerConfig(
    Listen listen,
    Optional<Tls> tls,
    Map<String, AppConfig> apps,
    Map<String, CallerPolicy> callers,
    Duration renewalGrace,
    Limits limits,
    Shutdown shutdown,
    boolean development) {

  public ServerConfig {
    apps = Map.copyOf(apps);
    callers = Map.copyOf(callers);
  }

  public Optional<AppConfig> app(String name) {
    return Optional.ofNullable(apps.get(name));
  }

  public Optional<CallerPolicy> caller(String identity) {
    return Optional.ofNullable(callers.get(identity));
  }

  /** The same snapshot listening elsewhere (command-line override; port 0 = ephemeral). */
  public ServerConfig withListen(Listen newListen) {
    return new ServerConfig(newListen, tls, apps, callers, renewalGrace, limits, shutdown, development);
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
