package dev.tokenauthority.server;

import dev.tokenauthority.server.bridges.VendorBridges;
import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.config.ConfigException;
import dev.tokenauthority.server.config.ConfigLoader;
import dev.tokenauthority.server.config.ConfigReloader;
import dev.tokenauthority.server.config.DevelopmentConfig;
import dev.tokenauthority.server.config.ObservabilityConfig;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.observability.Telemetry;
import dev.tokenauthority.server.tokens.CoreTokenEngine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the gRPC service: with no config, the loopback-only development default. Prints one
 * parseable line {@code LISTENING host:port} on stdout once the port is bound (port 0 picks a free
 * one), {@code HEALTH host:port} when a health-only listener is configured and
 * {@code METRICS http://host:port/metrics} when metrics are served, then serves until
 * SIGTERM/SIGINT, which drains and stops gracefully.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = {
    "Run the Token Authority gRPC service.",
    "Without --config: the development default (plaintext on 127.0.0.1:50051, demo apps with random "
        + "credentials; not for production). Prints LISTENING host:port once serving; SIGTERM drains and stops."})
public final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML configuration file (see docs/configuration.md); default: none, the development default.")
  Path config;

  @Option(names = "--listen", paramLabel = "HOST",
      description = "Override the listen address; default: the config's listen.address (127.0.0.1 without --config).")
  String listen;

  @Option(names = "--port", paramLabel = "PORT",
      description = "Override the listen port, 0 picks a free one; default: the config's listen.port (50051).")
  Integer port;

  @Option(names = "--reload-interval", paramLabel = "SECONDS", defaultValue = "30",
      description = "How often the --config file and the credentials it names are checked for changes, "
          + "which are applied without a restart (default: ${DEFAULT-VALUE}; 0 turns reloading off).")
  long reloadIntervalSeconds;

  @Option(names = "--health-port", paramLabel = "PORT",
      description = "Serve grpc.health.v1 alone, in plaintext, on this port too (0 picks a free one); "
          + "default: the config's health_listen, none without it.")
  Integer healthPort;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve Prometheus /metrics over plain HTTP on this port (0 picks a free one).")
  Integer metricsPort;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ServerConfig loaded;
    ServerConfig cfg;
    try {
      LogSetup.install();
      NettyLeakTracking.offUnlessAsked();
      if (reloadIntervalSeconds < 0 || reloadIntervalSeconds > 86_400) {
        throw new ConfigException("--reload-interval", "must be 0 to 86400 seconds");
      }
      loaded = config == null ? DevelopmentConfig.create(new SecureRandom()) : new ConfigLoader().load(config);
      cfg = withOverrides(loaded);
      LogSetup.apply(cfg.observability());
    } catch (ConfigException e) {
      err.println("configuration error: " + e.getMessage());
      err.flush();
      return 2;
    }
    if (cfg.development()) {
      LOG.warn("DEVELOPMENT MODE - NOT FOR PRODUCTION: plaintext on loopback, demo apps with random"
          + " credentials, every local caller may call every RPC. Pass --config FILE for real use.");
      for (AppConfig app : cfg.apps().values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
        out.println("demo app " + app.name() + ": vendor=" + app.vendor().id() + " app_id=" + app.tokenAppId());
      }
    }
    CoreTokenEngine engine = new CoreTokenEngine();
    // Vendor REST bridges (issue 4): chat tokens by user name, Easemob password/inherit grants.
    Telemetry telemetry = Telemetry.create(cfg.observability());
    VendorBridges bridges = VendorBridges.create(engine, Clock.systemUTC(), telemetry);
    TokenAuthorityServer server = TokenAuthorityServer.builder(cfg, engine)
        .telemetry(telemetry)
        .chatUserDirectory(bridges)
        .easemobTokenGrants(bridges)
        .build()
        .start();
    ConfigReloader reloader = null;
    if (config != null && reloadIntervalSeconds > 0) {
      reloader = new ConfigReloader(config.toString(), () -> new ConfigLoader().load(config), server.config(), loaded)
          .onOutcome(o -> {
            if (o != ConfigReloader.Outcome.UNCHANGED) {
              server.metrics().configReload(o == ConfigReloader.Outcome.APPLIED);
            }
          })
          .pollEvery(Duration.ofSeconds(reloadIntervalSeconds), Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ta-config-reload");
            t.setDaemon(true);
            return t;
          }));
    }
    ConfigReloader stopReloading = reloader;
    // java.util.logging's own hook would close the log handlers while this one still logs the
    // drain; the reset waits until stop() has logged its last line.
    if (!DeferredResetLogManager.beginDeferral()) {
      LOG.debug("java.util.logging.manager is not DeferredResetLogManager; shutdown lines may be lost");
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        if (stopReloading != null) {
          stopReloading.close();
        }
        server.stop();
      } finally {
        DeferredResetLogManager.endDeferral();
      }
    }, "ta-shutdown"));
    out.println("LISTENING " + cfg.listen().host() + ":" + server.port());
    if (server.healthPort().isPresent()) {
      out.println("HEALTH " + cfg.healthListen().get().host() + ":" + server.healthPort().getAsInt());
    }
    server.metricsAddress().ifPresent(a -> out.println("METRICS http://" + a.getHostString() + ":" + a.getPort() + "/metrics"));
    out.flush();
    server.awaitTermination();
    return 0;
  }

  private ServerConfig withOverrides(ServerConfig cfg) {
    if (metricsPort != null) {
      if (metricsPort < 0 || metricsPort > 65535) {
        throw new ConfigException("--metrics-port", "must be 0 to 65535");
      }
      String host = cfg.observability().metrics().listen().map(ServerConfig.Listen::host).orElse("127.0.0.1");
      cfg = cfg.withObservability(cfg.observability().withMetrics(
          new ObservabilityConfig.Metrics(java.util.Optional.of(new ServerConfig.Listen(host, metricsPort)))));
    }
    if (healthPort != null) {
      if (healthPort < 0 || healthPort > 65535) {
        throw new ConfigException("--health-port", "must be 0 to 65535");
      }
      String host = cfg.healthListen().map(ServerConfig.Listen::host).orElse(cfg.listen().host());
      cfg = cfg.withHealthListen(new ServerConfig.Listen(host, healthPort));
    }
    if (listen == null && port == null) {
      return cfg;
    }
    String host = listen != null ? listen : cfg.listen().host();
    int p = port != null ? port : cfg.listen().port();
    if (p < 0 || p > 65535) {
      throw new ConfigException("--port", "must be 0 to 65535");
    }
    if (cfg.tls().isEmpty() && !ConfigLoader.isLoopback(host)) {
      throw new ConfigException("--listen", "'" + host + "' is not loopback; listening beyond loopback requires tls");
    }
    return cfg.withListen(new ServerConfig.Listen(host, p));
  }
}
