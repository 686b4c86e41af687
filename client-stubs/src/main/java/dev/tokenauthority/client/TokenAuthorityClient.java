package dev.tokenauthority.client;

import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.InspectTokenResponse;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueChatTokenResponse;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueRtcTokenResponse;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenResponse;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenResponse;
import dev.tokenauthority.api.v1.IssuedToken;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RenewTokenResponse;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.opentelemetry.GrpcOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.grpc.StatusRuntimeException;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A blocking client for the Token Authority service.
 *
 * <pre>{@code
 * try (TokenAuthorityClient client = TokenAuthorityClient.builder()
 *     .target("token-authority.internal:50051")
 *     .mtls(Path.of("client.pem"), Path.of("client.key"), Path.of("ca.pem"))
 *     .build()) {
 *   IssuedToken token = client.issueRtcToken(request).getIssuedToken();
 * }
 * }</pre>
 *
 * <p>Every call gets the default deadline unless the caller uses {@link #stub()} with its own;
 * calls failing with UNAVAILABLE are retried by the channel per {@link RetryPolicy}; calls are
 * spread with {@code round_robin} over every address the target resolves to (e.g.
 * {@code dns:///token-authority.ns.svc.cluster.local:8443}, a headless Service). Failures
 * surface as {@link StatusRuntimeException} with the server's status and google.rpc details.
 * Thread-safe; create one per process and share it.
 */
public final class TokenAuthorityClient implements Closeable {
  /** How long a channel retired by a certificate rotation may finish its calls, at least. */
  static final Duration MIN_ROTATION_GRACE = Duration.ofSeconds(30);

  private final RotatingChannel channel;
  private final TokenAuthorityServiceBlockingStub stub;
  private final ScheduledExecutorService reloadExecutor;

  private TokenAuthorityClient(RotatingChannel channel, Duration defaultDeadline,
      ScheduledExecutorService reloadExecutor) {
    this.channel = channel;
    Channel intercepted = ClientInterceptors.intercept(channel, new DefaultDeadlineInterceptor(defaultDeadline));
    this.stub = TokenAuthorityServiceGrpc.newBlockingStub(intercepted);
    this.reloadExecutor = reloadExecutor;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The channel new calls go to, for tests (it changes when the client certificate is rotated). */
  ManagedChannel channel() {
    return channel.current();
  }

  /** The blocking stub with the default deadline applied; use {@code withDeadlineAfter} to override. */
  public TokenAuthorityServiceBlockingStub stub() {
    return stub;
  }

  public IssueRtcTokenResponse issueRtcToken(IssueRtcTokenRequest request) {
    return stub.issueRtcToken(request);
  }

  public IssueRtmTokenResponse issueRtmToken(IssueRtmTokenRequest request) {
    return stub.issueRtmToken(request);
  }

  public IssueChatTokenResponse issueChatToken(IssueChatTokenRequest request) {
    return stub.issueChatToken(request);
  }

  public IssueZimTokenResponse issueZimToken(IssueZimTokenRequest request) {
    return stub.issueZimToken(request);
  }

  public RenewTokenResponse renewToken(RenewTokenRequest request) {
    return stub.renewToken(request);
  }

  public InspectTokenResponse inspectToken(InspectTokenRequest request) {
    return stub.inspectToken(request);
  }

  /**
   * Renews a token issued by this authority for the same app, keeping its lifetime. Suits
   * {@link TokenRenewer.RenewFunction} for every format but legacy "006", whose renewal needs
   * a {@code Legacy006Binding} (build that request yourself).
   */
  public IssuedToken renew(IssuedToken token) {
    return renewToken(RenewTokenRequest.newBuilder()
        .setToken(token.getToken())
        .setApp(token.getApp())
        .build()).getIssuedToken();
  }

  /**
   * Stops the file reloading and every channel still open (the current one and any retired by a
   * rotation): in-flight calls get a short grace, then are cancelled.
   */
  @Override
  public void close() {
    if (reloadExecutor != null) {
      reloadExecutor.shutdownNow();
    }
    try {
      channel.close(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The channel's default service config: {@code round_robin} over every address the target
   * resolves to (a headless Service's pods behind {@code dns:///}; pick_first would pin all calls
   * to one pod over a long-lived HTTP/2 connection), plus the UNAVAILABLE retry policy.
   */
  static Map<String, ?> serviceConfig(RetryPolicy retryPolicy) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("loadBalancingConfig", List.of(Map.of("round_robin", Map.of())));
    if (retryPolicy.maxAttempts() > 1) {
      // gRPC's service config rejects a retry policy of one attempt.
      config.put("methodConfig", retryPolicy.toMethodConfig());
    }
    return config;
  }

  /** Builds a client; exactly one of {@link #plaintext()}, {@link #mtls} or {@link #channelBuilder}. */
  public static final class Builder {
    private String target;
    private boolean plaintext;
    private Path certChain;
    private Path privateKey;
    private Path caBundle;
    private String authority;
    private ManagedChannelBuilder<?> channelBuilder;
    private Duration defaultDeadline = Duration.ofSeconds(10);
    private Duration tlsRefresh = Duration.ofMinutes(1);
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private OpenTelemetry openTelemetry;

    private Builder() {}

    /** gRPC target, e.g. {@code localhost:50051} or {@code dns:///token-authority.svc:50051}. */
    public Builder target(String target) {
      this.target = Objects.requireNonNull(target, "target");
      return this;
    }

    /** Plaintext, for the loopback development default only. */
    public Builder plaintext() {
      this.plaintext = true;
      return this;
    }

    /**
     * Mutual TLS from PEM files: the client certificate chain, its PKCS#8 private key and the
     * CA bundle that signed the server's certificate. The files are re-read every
     * {@link #tlsRefresh(Duration)}; when the client certificate changed, new calls move to a new
     * channel (new connections, no resumed TLS session) and the previous channel closes once its
     * calls are done. A certificate and key that do not belong together are not used (a rotation
     * caught half-way is picked up on the next reload).
     */
    public Builder mtls(Path certChain, Path privateKey, Path caBundle) {
      this.certChain = Objects.requireNonNull(certChain, "certChain");
      this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
      this.caBundle = Objects.requireNonNull(caBundle, "caBundle");
      return this;
    }

    /**
     * How often the mTLS files are re-read; default one minute, minimum one second. Keep it well
     * below the certificates' renewal margin (cert-manager renews at two thirds of the lifetime).
     */
    public Builder tlsRefresh(Duration refresh) {
      if (refresh.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("tlsRefresh must be at least one second");
      }
      this.tlsRefresh = refresh;
      return this;
    }

    /** Overrides the authority (TLS host name checked against the server certificate). */
    public Builder overrideAuthority(String authority) {
      this.authority = Objects.requireNonNull(authority, "authority");
      return this;
    }

    /**
     * Uses a channel builder the caller prepared (e.g. in-process for tests); the client still
     * adds its retry service config and default deadline.
     */
    public Builder channelBuilder(ManagedChannelBuilder<?> channelBuilder) {
      this.channelBuilder = Objects.requireNonNull(channelBuilder, "channelBuilder");
      return this;
    }

    /** Deadline for calls that do not set their own; default 10 s. */
    public Builder defaultDeadline(Duration deadline) {
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("defaultDeadline must be positive");
      }
      this.defaultDeadline = deadline;
      return this;
    }

    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * Opt-in gRPC client metrics (gRFC A66: grpc.client.attempt.started, grpc.client.call.duration,
     * message sizes, by method and status) recorded into your OpenTelemetry SDK. Off by default.
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    public TokenAuthorityClient build() {
      boolean tls = certChain != null;
      int modes = (plaintext ? 1 : 0) + (tls ? 1 : 0) + (channelBuilder != null ? 1 : 0);
      if (modes != 1) {
        throw new IllegalStateException("choose exactly one of plaintext(), mtls(...) or channelBuilder(...)");
      }
      if (channelBuilder == null && target == null) {
        throw new IllegalStateException("target is required");
      }
      // Rotation builds channels later: from a snapshot of this builder's settings.
      String target = this.target;
      String authority = this.authority;
      RetryPolicy retryPolicy = this.retryPolicy;
      GrpcOpenTelemetry metrics = openTelemetry == null ? null
          : GrpcOpenTelemetry.newBuilder().sdk(openTelemetry).build();
      if (!tls) {
        ManagedChannelBuilder<?> builder = channelBuilder != null
            ? channelBuilder : Grpc.newChannelBuilder(target, InsecureChannelCredentials.create());
        RotatingChannel channel = new RotatingChannel(
            () -> configure(builder, authority, retryPolicy, metrics).build(), Duration.ZERO, null);
        return new TokenAuthorityClient(channel, defaultDeadline, null);
      }
      PemTls pemTls = PemTls.load(certChain, privateKey, caBundle);
      ScheduledExecutorService reloadExecutor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "token-authority-tls-reload");
        thread.setDaemon(true);
        return thread;
      });
      try {
        // A new builder and credentials per channel: grpc-netty gives each its own SslContext,
        // so a channel opened after a rotation cannot resume a session of the old certificate.
        Duration grace = defaultDeadline.compareTo(MIN_ROTATION_GRACE) > 0 ? defaultDeadline : MIN_ROTATION_GRACE;
        RotatingChannel channel = new RotatingChannel(
            () -> configure(Grpc.newChannelBuilder(target, pemTls.newCredentials()), authority, retryPolicy, metrics).build(),
            grace, reloadExecutor);
        reloadExecutor.scheduleWithFixedDelay(pemTls.reloadTask(channel::rotate),
            tlsRefresh.toMillis(), tlsRefresh.toMillis(), TimeUnit.MILLISECONDS);
        return new TokenAuthorityClient(channel, defaultDeadline, reloadExecutor);
      } catch (RuntimeException e) {
        reloadExecutor.shutdownNow();
        throw e;
      }
    }

    private static ManagedChannelBuilder<?> configure(ManagedChannelBuilder<?> builder, String authority,
        RetryPolicy retryPolicy, GrpcOpenTelemetry metrics) {
      if (metrics != null) {
        metrics.configureChannelBuilder(builder);
      }
      if (authority != null) {
        builder.overrideAuthority(authority);
      }
      builder.defaultServiceConfig(serviceConfig(retryPolicy));
      if (retryPolicy.maxAttempts() > 1) {
        builder.enableRetry();
      } else {
        builder.disableRetry();
      }
      return builder;
    }
  }
}
