package dev.tokenauthority.server;

import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.server.audit.AuditEvent;
import dev.tokenauthority.server.audit.AuditLog;
import dev.tokenauthority.server.config.ConfigHolder;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.errors.Refusal;
import dev.tokenauthority.server.errors.UnexpectedErrorInterceptor;
import dev.tokenauthority.server.identity.IdentityInterceptor;
import dev.tokenauthority.server.limits.AdmissionListener;
import dev.tokenauthority.server.limits.CallerLimits;
import dev.tokenauthority.server.limits.RateLimiter;
import dev.tokenauthority.server.observability.ServerMetrics;
import dev.tokenauthority.server.observability.ServerObservability;
import dev.tokenauthority.server.observability.Telemetry;
import dev.tokenauthority.server.policy.PolicyInterceptor;
import dev.tokenauthority.server.reflection.ServedDescriptors;
import dev.tokenauthority.server.protocol.MalformedRequests;
import dev.tokenauthority.server.rpc.TokenAuthorityServiceImpl;
import dev.tokenauthority.server.tls.TlsSetup;
import dev.tokenauthority.server.tokens.ChatUserDirectory;
import dev.tokenauthority.server.tokens.EasemobTokenGrants;
import dev.tokenauthority.server.tokens.TokenEngine;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: Netty transport (plaintext on loopback, or TLS with reloading files), the
 * token service behind its interceptors, health and reflection, a bounded handler executor, and
 * graceful shutdown.
 */
public final class TokenAuthorityServer {
  private static final Logger LOG = LoggerFactory.getLogger(TokenAuthorityServer.class);
  public static final String SERVICE_NAME = TokenAuthorityServiceGrpc.SERVICE_NAME;

  private final ConfigHolder config;
  private final Server server;
  /** Plaintext listener serving grpc.health.v1 alone, for probes without client certificates. */
  private final Server healthServer;
  private final HealthStatusManager health;
  private final ThreadPoolExecutor executor;
  private final ScheduledExecutorService scheduler;
  private final TlsSetup tls;
  private final ServerObservability observability;
  private java.util.Optional<InetSocketAddress> metricsAddress = java.util.Optional.empty();
  private final AtomicBoolean stopping = new AtomicBoolean();

  private TokenAuthorityServer(Builder b) throws IOException, GeneralSecurityException {
    ServerConfig cfg = b.config;
    this.config = new ConfigHolder(cfg);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("ta-tls-reload"));
    ServerCredentials creds;
    if (cfg.tls().isPresent()) {
      this.tls = TlsSetup.create(cfg.tls().get(), scheduler);
      creds = tls.credentials();
    } else {
      this.tls = null;
      creds = InsecureServerCredentials.create();
    }
    ServerConfig.Limits limits = cfg.limits();
    // Bounded: fixed threads and a bounded queue; CallAdmission lets at most maxConcurrentCalls
    // calls onto it, each with at most one task queued at a time, so the queue never overflows.
    this.executor = new ThreadPoolExecutor(limits.handlerThreads(), limits.handlerThreads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(Math.max(64, limits.maxConcurrentCalls() * 8)), daemon("ta-handler"));
    this.health = new HealthStatusManager();
    // Audit stream, metrics, traces (server/observability): wired here and in the builder below.
    this.observability = new ServerObservability(
        b.telemetry != null ? b.telemetry : Telemetry.create(cfg.observability()), config, b.clock);
    AuditLog audit = observability.auditLog();
    TokenAuthorityServiceImpl service = new TokenAuthorityServiceImpl(
        observability.timed(b.engine), b.directory, b.grants, audit, b.clock,
        // Calls that wait for a vendor hop to the pool: the caller's trace goes with them.
        io.opentelemetry.context.Context.taskWrapping(executor));
    Consumer<Refusal> auditRefusal = r -> audit.record(AuditEvent.builder(r.rpc(), r.caller())
        .failed(r.error().code(), r.error().reason()));
    ServerMetrics metrics = observability.metrics();
    AdmissionListener admissionListener = (reason, caller) -> {
      b.admissionListener.refused(reason, caller);
      metrics.admissionRefused(reason, AdmissionListener.UNIDENTIFIED.equals(caller) ? null : caller);
    };
    CallAdmission admission = new CallAdmission(SERVICE_NAME, limits.maxConcurrentCalls(), executor,
        TokenAuthorityServiceImpl.NON_BLOCKING_METHODS, admissionListener);
    CallerLimits callerLimits = new CallerLimits(b.limitsTime, limits.requestMessageTimeout(),
        auditRefusal, admissionListener).sweepOn(scheduler);
    ServerConfig.Http2 http2 = limits.http2();
    NettyServerBuilder serverBuilder = NettyServerBuilder
        .forAddress(new InetSocketAddress(cfg.listen().host(), cfg.listen().port()), creds);
    observability.configure(serverBuilder);
    this.server = serverBuilder
        // Direct: admission, refusals, health, reflection and the non-blocking token handlers run
        // here; calls that wait for a vendor move to the bounded handler pool (see CallAdmission).
        .directExecutor()
        .callExecutor(admission)
        .maxInboundMessageSize(limits.maxInboundMessageBytes())
        .handshakeTimeout(10, TimeUnit.SECONDS)
        .maxConcurrentCallsPerConnection(http2.maxConcurrentStreams())
        .permitKeepAliveTime(http2.permitKeepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
        .permitKeepAliveWithoutCalls(http2.permitKeepAliveWithoutCalls())
        .maxConnectionIdle(http2.maxConnectionIdle().toNanos(), TimeUnit.NANOSECONDS)
        .maxConnectionAge(http2.maxConnectionAge().toNanos(), TimeUnit.NANOSECONDS)
        .maxConnectionAgeGrace(http2.maxConnectionAgeGrace().toNanos(), TimeUnit.NANOSECONDS)
        .addService(ServedDescriptors.withServedSchema(ServerInterceptors.intercept(MalformedRequests.guard(service.bindService(), auditRefusal),
            callerLimits,
            new PolicyInterceptor(config, auditRefusal),
            // Wall clock, like the TLS handshake: certificate validity is not token time.
            new IdentityInterceptor(cfg.tls().isEmpty(), Clock.systemUTC(), auditRefusal),
            admission.interceptor(),
            observability.tracing())))
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .addService(legacyReflection())
        .intercept(new UnexpectedErrorInterceptor())
        .build();
    // Nothing but health here: the status it reports is not a secret, so no TLS and any address.
    this.healthServer = cfg.healthListen()
        .map(l -> NettyServerBuilder.forAddress(new InetSocketAddress(l.host(), l.port()),
                InsecureServerCredentials.create())
            .directExecutor() // health handlers only read an in-memory map
            .maxInboundMessageSize(4 * 1024)
            .addService(health.getHealthService())
            .build())
        .orElse(null);
  }

  @SuppressWarnings("deprecation") // v1alpha keeps older grpcurl and tools working
  private static io.grpc.BindableService legacyReflection() {
    return ProtoReflectionService.newInstance();
  }

  public static Builder builder(ServerConfig config, TokenEngine engine) {
    return new Builder(config, engine);
  }

  /** Binds the port and reports SERVING. */
  public TokenAuthorityServer start() throws IOException {
    server.start();
    if (healthServer != null) {
      try {
        healthServer.start();
      } catch (IOException e) {
        server.shutdownNow();
        throw e;
      }
    }
    try {
      metricsAddress = observability.start();
    } catch (IOException e) {
      server.shutdownNow();
      if (healthServer != null) {
        healthServer.shutdownNow();
      }
      throw e;
    }
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    health.setStatus(SERVICE_NAME, ServingStatus.SERVING);
    LOG.info("listening on " + config.get().listen().host() + ":" + port()
        + (tls == null ? " (plaintext, loopback only)" : " (TLS, client auth " + config.get().tls().get().clientAuth()
        .name().toLowerCase(java.util.Locale.ROOT) + ")"));
    if (healthServer != null) {
      LOG.info("health-only listener (plaintext, grpc.health.v1 only) on "
          + config.get().healthListen().get().host() + ":" + healthPort().getAsInt());
    }
    return this;
  }

  /** The bound port of the health-only listener, when one is configured. */
  public java.util.OptionalInt healthPort() {
    return healthServer == null ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(((InetSocketAddress) healthServer.getListenSockets().get(0)).getPort());
  }

  /** Where /metrics is served (plain HTTP), when {@code metrics.listen} is configured. */
  public java.util.Optional<InetSocketAddress> metricsAddress() {
    return metricsAddress;
  }

  /** The service's own instruments (configuration reloads are reported here). */
  public ServerMetrics metrics() {
    return observability.metrics();
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  public ConfigHolder config() {
    return config;
  }

  /** First step of shutdown: report NOT_SERVING so load balancers and probes stop sending traffic. */
  public void beginDrain() {
    health.enterTerminalState();
  }

  /**
   * Graceful stop: NOT_SERVING, wait the drain delay, stop accepting, let in-flight calls finish
   * within the grace, then cut what is left. Idempotent; safe from a shutdown hook.
   */
  public void stop() {
    if (!stopping.compareAndSet(false, true)) {
      awaitQuietly(Duration.ofSeconds(5));
      return;
    }
    ServerConfig.Shutdown s = config.get().shutdown();
    beginDrain();
    LOG.info("draining: health NOT_SERVING; closing the listener in " + s.drainDelay().toSeconds() + " s");
    if (!s.drainDelay().isZero()) {
      try {
        Thread.sleep(s.drainDelay().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    server.shutdown();
    if (!awaitQuietly(s.grace())) {
      LOG.warn("calls still running after the " + s.grace().toSeconds() + " s grace; cancelling them");
      server.shutdownNow();
      awaitQuietly(Duration.ofSeconds(5));
    }
    executor.shutdown();
    // Last to go, so probes see NOT_SERVING for the whole drain rather than a refused connection.
    if (healthServer != null) {
      healthServer.shutdownNow();
    }
    if (tls != null) {
      tls.close();
    }
    scheduler.shutdownNow();
    observability.close(); // after the last call: writes out queued audit lines, flushes exporters
    LOG.info("stopped");
  }

  private boolean awaitQuietly(Duration d) {
    try {
      return server.awaitTermination(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return server.isTerminated();
    }
  }

  public boolean isTerminated() {
    return server.isTerminated();
  }

  /** Blocks until the server has terminated. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Inputs of a server; the bridges default to "not available". */
  public static final class Builder {
    private final ServerConfig config;
    private final TokenEngine engine;
    private ChatUserDirectory directory = ChatUserDirectory.UNAVAILABLE;
    private EasemobTokenGrants grants = EasemobTokenGrants.UNAVAILABLE;
    private Clock clock = Clock.systemUTC();
    private AdmissionListener admissionListener = AdmissionListener.NONE;
    private java.time.InstantSource limitsTime = RateLimiter.monotonic();
    private Telemetry telemetry;

    private Builder(ServerConfig config, TokenEngine engine) {
      this.config = Objects.requireNonNull(config);
      this.engine = Objects.requireNonNull(engine);
    }

    public Builder chatUserDirectory(ChatUserDirectory d) {
      this.directory = Objects.requireNonNull(d);
      return this;
    }

    public Builder easemobTokenGrants(EasemobTokenGrants g) {
      this.grants = Objects.requireNonNull(g);
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    /** Hears of every call refused or cut short by admission and fairness limits (e.g. metrics). */
    public Builder admissionListener(AdmissionListener l) {
      this.admissionListener = Objects.requireNonNull(l);
      return this;
    }

    /** The time rate limits and request-message deadlines run on (tests move it by hand). */
    public Builder limitsTime(java.time.InstantSource t) {
      this.limitsTime = Objects.requireNonNull(t);
      return this;
    }

    /** The OpenTelemetry SDK to report to; by default one built from the config and OTEL_* variables. */
    public Builder telemetry(Telemetry t) {
      this.telemetry = Objects.requireNonNull(t);
      return this;
    }

    public TokenAuthorityServer build() throws IOException, GeneralSecurityException {
      return new TokenAuthorityServer(this);
    }
  }
}
