package dev.tokenauthority.server.config;

import dev.tokenauthority.core.ClockSkew;
import dev.tokenauthority.server.limits.CallerQuota;
import dev.tokenauthority.server.limits.Rate;
import dev.tokenauthority.server.policy.CallerPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One immutable, fully validated configuration snapshot. Handlers read the current snapshot per
 * call from {@link ConfigHolder}, so a reload can swap it atomically.
 *
 * @param development true for the built-in development default (plaintext, identity "local")
 * @param healthListen optional plaintext listener serving only grpc.health.v1 (probes); it may
 *     bind beyond loopback without TLS because it exposes nothing but serving status
 * @param maxClockSkew how far a token's issue time may be ahead of this server's clock before
 *     InspectToken and RenewToken call it TOKEN_NOT_YET_VALID ({@code tokens.max_clock_skew_seconds})
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
    Duration maxClockSkew,
    ObservabilityConfig observability) {

  public ServerConfig {
    apps = Map.copyOf(apps);
    callers = Map.copyOf(callers);
    healthListen = healthListen == null ? Optional.empty() : healthListen;
    maxClockSkew = maxClockSkew == null ? ClockSkew.DEFAULT : maxClockSkew;
    observability = observability == null
        ? (development ? ObservabilityConfig.development() : ObservabilityConfig.defaults()) : observability;
  }

  /** With the default clock skew, logs, audit and metrics (kept for existing callers). */
  public ServerConfig(Listen listen, Optional<Tls> tls, Map<String, AppConfig> apps,
      Map<String, CallerPolicy> callers, Duration renewalGrace, Limits limits, Shutdown shutdown,
      boolean development, Optional<Listen> healthListen) {
    this(listen, tls, apps, callers, renewalGrace, limits, shutdown, development, healthListen,
        ClockSkew.DEFAULT, null);
  }

  /** Without a separate health listener (the original shape; kept for existing callers). */
  public ServerConfig(Listen listen, Optional<Tls> tls, Map<String, AppConfig> apps,
      Map<String, CallerPolicy> callers, Duration renewalGrace, Limits limits, Shutdown shutdown,
      boolean development) {
    this(listen, tls, apps, callers, renewalGrace, limits, shutdown, development, Optional.empty());
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
        healthListen, maxClockSkew, observability);
  }

  /**
   * The same snapshot with a plaintext listener that serves grpc.health.v1 alone (port 0 =
   * ephemeral). It exists for probes that cannot do mTLS, such as the kubelet's gRPC probes.
   */
  public ServerConfig withHealthListen(Listen newHealthListen) {
    return new ServerConfig(listen, tls, apps, callers, renewalGrace, limits, shutdown, development,
        Optional.of(newHealthListen), maxClockSkew, observability);
  }

  /** The same snapshot with other logging, audit, metrics or tracing settings. */
  public ServerConfig withObservability(ObservabilityConfig o) {
    return new ServerConfig(listen, tls, apps, callers, renewalGrace, limits, shutdown, development,
        healthListen, maxClockSkew, o);
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
   * @param requestMessageTimeout how long a call may wait for its request message before it is cancelled
   * @param perCaller each caller's concurrency cap and rate unless its policy sets its own (both present)
   * @param http2 connection-level limits of the listener
   */
  public record Limits(int handlerThreads, int maxConcurrentCalls, int maxInboundMessageBytes,
      Duration requestMessageTimeout, CallerQuota perCaller, Http2 http2) {
    public static final Duration DEFAULT_REQUEST_MESSAGE_TIMEOUT = Duration.ofSeconds(5);
    public static final CallerQuota DEFAULT_PER_CALLER = new CallerQuota(OptionalInt.of(64), Optional.of(Rate.UNLIMITED));

    public Limits {
      if (perCaller.maxConcurrentCalls().isEmpty() || perCaller.rate().isEmpty()) {
        throw new IllegalArgumentException("the per-caller defaults need both a cap and a rate");
      }
    }

    /** The given pool and sizes, with default fairness and HTTP/2 limits. */
    public Limits(int handlerThreads, int maxConcurrentCalls, int maxInboundMessageBytes) {
      this(handlerThreads, maxConcurrentCalls, maxInboundMessageBytes, DEFAULT_REQUEST_MESSAGE_TIMEOUT,
          DEFAULT_PER_CALLER, Http2.DEFAULTS);
    }
  }

  /**
   * HTTP/2 connection limits.
   *
   * @param maxConcurrentStreams streams one connection may have open at once
   * @param permitKeepAliveTime the most frequent client keepalive ping tolerated (more often: GOAWAY)
   * @param permitKeepAliveWithoutCalls whether clients may ping while they have no call open
   * @param maxConnectionIdle a connection without calls this long is closed (GOAWAY)
   * @param maxConnectionAge a connection this old is asked to go away, so clients re-balance
   * @param maxConnectionAgeGrace how long calls may run on a connection past its maximum age
   */
  public record Http2(int maxConcurrentStreams, Duration permitKeepAliveTime, boolean permitKeepAliveWithoutCalls,
      Duration maxConnectionIdle, Duration maxConnectionAge, Duration maxConnectionAgeGrace) {
    public static final Http2 DEFAULTS = new Http2(100, Duration.ofSeconds(20), false, Duration.ofMinutes(5),
        Duration.ofMinutes(30), Duration.ofSeconds(30));
  }

  /**
   * @param drainDelay how long health reports NOT_SERVING before the listener closes
   * @param grace how long in-flight calls may run after the listener closed
   */
  public record Shutdown(Duration drainDelay, Duration grace) {}
}
