package dev.tokenauthority.server.bridges;

import dev.tokenauthority.bridge.BridgeSettings;
import dev.tokenauthority.bridge.Delayer;
import dev.tokenauthority.bridge.UserNames;
import dev.tokenauthority.bridge.Vendor;
import dev.tokenauthority.bridge.VendorCallException;
import dev.tokenauthority.bridge.VendorCallListener;
import dev.tokenauthority.bridge.VendorHttp;
import dev.tokenauthority.bridge.VendorReason;
import dev.tokenauthority.bridge.VendorSpans;
import dev.tokenauthority.bridge.agorachat.AgoraChatAppConfig;
import dev.tokenauthority.bridge.agorachat.AgoraChatUserDirectory;
import dev.tokenauthority.bridge.easemob.EasemobAppConfig;
import dev.tokenauthority.bridge.easemob.EasemobTokenClient;
import dev.tokenauthority.bridge.easemob.EasemobUserToken;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.server.audit.VendorCallTrail;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.config.EasemobApp;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.observability.Telemetry;
import dev.tokenauthority.server.tokens.ChatAppGrant;
import dev.tokenauthority.server.tokens.ChatUserDirectory;
import dev.tokenauthority.server.tokens.EasemobTokenGrants;
import dev.tokenauthority.server.tokens.TokenEngine;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

/**
 * The vendor bridges behind the service's {@link ChatUserDirectory} and {@link EasemobTokenGrants}
 * ports. Handlers call these on their own thread; each call inherits the gRPC call's deadline (or
 * {@code defaultTimeout} when the caller set none), stops waiting when the call is cancelled, and
 * reports vendor failures as {@link ApiException} with the bridge's reason and the matching status.
 *
 * <p>One bridge instance (with its caches) is kept per app reference and rebuilt only when that
 * app's REST settings or credentials change, so configuration reloads keep warm caches.
 *
 * <p>Wire with {@code TokenAuthorityServer.builder(cfg, engine).chatUserDirectory(b).easemobTokenGrants(b)}.
 */
public final class VendorBridges implements ChatUserDirectory, EasemobTokenGrants {
  /** Lifetime of the chat app tokens minted for REST calls (one per exchange, so short is fine). */
  static final Duration CHAT_APP_TOKEN_LIFETIME = Duration.ofMinutes(10);
  /** How much longer than asked a granted token may live: the vendor's clock and rounding, not more. */
  static final Duration GRANT_EXPIRY_SLACK = Duration.ofMinutes(2);
  /** How much earlier than the caller's deadline the bridges give up (at most a tenth of the time left). */
  static final Duration CALLER_DEADLINE_MARGIN = Duration.ofMillis(250);

  private static final Set<VendorReason> USER_FIELD_REASONS = Set.of(
      VendorReason.CHAT_USER_NOT_FOUND, VendorReason.CHAT_USER_BANNED, VendorReason.CHAT_USER_NAME_INVALID,
      VendorReason.EASEMOB_USERNAME_TOO_LONG);

  private final TokenEngine engine;
  private final VendorHttp http;
  private final SecureRandom passwordRandom;
  private final Duration defaultTimeout;
  private final ConcurrentHashMap<String, AgoraEntry> agora = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, EasemobEntry> easemob = new ConcurrentHashMap<>();

  private record AgoraEntry(
      URI base, String appKey, String appId, AtomicReference<AgoraApp> current, AgoraChatUserDirectory directory) {}

  private record EasemobEntry(EasemobApp app, EasemobTokenClient client) {}

  public VendorBridges(TokenEngine engine, VendorHttp http, SecureRandom passwordRandom, Duration defaultTimeout) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.http = Objects.requireNonNull(http, "http");
    this.passwordRandom = Objects.requireNonNull(passwordRandom, "passwordRandom");
    this.defaultTimeout = Objects.requireNonNull(defaultTimeout, "defaultTimeout");
  }

  /** Production wiring: JDK HttpClient over TLS, default timeouts and retries, audit through System.Logger. */
  public static VendorBridges create(TokenEngine engine, Clock clock) {
    return create(engine, clock, Telemetry.noop());
  }

  /** As {@link #create(TokenEngine, Clock)}, with vendor call metrics and (when on) client spans. */
  public static VendorBridges create(TokenEngine engine, Clock clock, Telemetry telemetry) {
    BridgeSettings settings = BridgeSettings.DEFAULT;
    VendorCallListener log = VendorCallListener.logging();
    VendorCallListener metrics = telemetry.vendorCallMetrics();
    VendorHttp http = new VendorHttp(VendorHttp.buildInBackground(settings), settings, clock,
        RandomGenerator.getDefault(), Delayer.system(), e -> {
          log.onAttempt(e);
          metrics.onAttempt(e);
        }, telemetry.tracing() ? VendorSpans.of(telemetry.openTelemetry()) : VendorSpans.NONE);
    VendorBridges bridges = new VendorBridges(engine, http, new SecureRandom(), Duration.ofSeconds(15));
    telemetry.observeChatUserCache(
        () -> bridges.agora.values().stream().mapToLong(e -> e.directory().cacheHits()).sum(),
        () -> bridges.agora.values().stream().mapToLong(e -> e.directory().cacheMisses()).sum());
    return bridges;
  }

  // ---- Agora Chat ----

  @Override
  public String resolveUuid(AgoraApp app, String userName, boolean register) {
    AgoraChatUserDirectory directory = agoraDirectory(app);
    return await(directory.resolveUuid(userName, register, deadline(), trace()), "agora_user.user_name", null).uuid();
  }

  private AgoraChatUserDirectory agoraDirectory(AgoraApp app) {
    if (app.chatRestBase().isEmpty() || app.chatAppKey().isEmpty()) {
      throw ApiException.failedPrecondition("agora_user.user_name", "CHAT_REST_NOT_CONFIGURED",
          "app '" + app.name() + "' has no chat_rest_base and chat_app_key; send agora_user.user_uuid");
    }
    URI base = app.chatRestBase().get();
    String appKey = app.chatAppKey().get();
    AgoraEntry entry = agora.compute(app.name(), (name, old) -> {
      if (old != null && old.base().equals(base) && old.appKey().equals(appKey) && old.appId().equals(app.appId())) {
        old.current().set(app); // a reloaded certificate is used for the next minted app token
        return old;
      }
      AtomicReference<AgoraApp> current = new AtomicReference<>(app);
      AgoraChatAppConfig cfg;
      try {
        cfg = AgoraChatAppConfig.of(base, appKey);
      } catch (IllegalArgumentException e) {
        throw misconfigured("agora_user.user_name", app.name(), e);
      }
      return new AgoraEntry(base, appKey, app.appId(), current, new AgoraChatUserDirectory(cfg,
          () -> engine.mint(current.get(), new ChatAppGrant(), http.clock().instant(), CHAT_APP_TOKEN_LIFETIME).token(),
          http, passwordRandom));
    });
    return entry.directory();
  }

  // ---- Easemob ----

  @Override
  public Granted passwordGrant(EasemobApp app, String userId, String password, Duration ttl) {
    EasemobTokenClient client = easemobClient(app);
    Instant issuedAt = http.clock().instant();
    EasemobUserToken t = await(client.passwordGrant(userId, new Secret("password", password), ttl, deadline(), trace()),
        "easemob_user.user_id", "easemob_user.password");
    return granted(t, issuedAt, ttl);
  }

  @Override
  public Granted inheritGrant(EasemobApp app, String userId, boolean autoCreate, Duration ttl) {
    EasemobTokenClient client = easemobClient(app);
    Instant issuedAt = http.clock().instant();
    EasemobUserToken t = await(client.inheritGrant(userId, autoCreate, ttl, deadline(), trace()),
        "easemob_user.user_id", null);
    return granted(t, issuedAt, ttl);
  }

  private static Granted granted(EasemobUserToken t, Instant issuedAt, Duration ttl) {
    if (t.expiresAt().isEmpty()) {
      // We always ask for a finite ttl; a token that never expires is not what was granted to the caller.
      throw ApiException.of(Status.Code.UNAVAILABLE, null, VendorReason.VENDOR_BAD_RESPONSE.name(),
          "easemob granted a token without expiry although a lifetime was asked");
    }
    // A token living longer than policy allowed must not reach the caller. It happens when the
    // cluster ignores the ttl or reads it in another unit (rest_ttl_unit milliseconds on a cluster
    // that counts seconds makes 1 h into 41 days).
    if (t.expiresAt().get().isAfter(issuedAt.plus(ttl).plus(GRANT_EXPIRY_SLACK))) {
      throw ApiException.failedPrecondition("easemob_user.grant", "EASEMOB_TTL_NOT_HONOURED",
          "easemob granted a token for " + Duration.between(issuedAt, t.expiresAt().get()).toSeconds()
              + " s although " + ttl.toSeconds() + " s were asked; check the app's rest_ttl_unit");
    }
    return new Granted(t.accessToken(), issuedAt, t.expiresAt().get(), t.userUuid());
  }

  private EasemobTokenClient easemobClient(EasemobApp app) {
    if (app.restBase().isEmpty()) {
      throw ApiException.failedPrecondition("easemob_user.grant", "EASEMOB_REST_NOT_CONFIGURED",
          "app '" + app.name() + "' has no rest_base; use EASEMOB_GRANT_DYNAMIC");
    }
    return easemob.compute(app.name(), (name, old) -> {
      if (old != null && sameRestSettings(old.app(), app)) {
        return old;
      }
      EasemobAppConfig cfg;
      try {
        cfg = EasemobAppConfig.builder()
            .restBaseUrl(app.restBase().get())
            .appKey(app.appKey())
            .clientId(app.clientId())
            .clientSecret(app.primary())
            .ttlUnit(app.ttlUnit())
            .build();
      } catch (IllegalArgumentException e) {
        throw misconfigured("easemob_user.grant", app.name(), e);
      }
      return new EasemobEntry(app, new EasemobTokenClient(cfg, http));
    }).client();
  }

  private static boolean sameRestSettings(EasemobApp a, EasemobApp b) {
    return a.restBase().equals(b.restBase()) && a.appKey().equals(b.appKey()) && a.clientId().equals(b.clientId())
        && a.ttlUnit() == b.ttlUnit() && a.primary().reveal().equals(b.primary().reveal());
  }

  // ---- shared ----

  private Instant deadline() {
    Instant now = http.clock().instant();
    Deadline d = Context.current().getDeadline();
    if (d == null) {
      return now.plus(defaultTimeout);
    }
    // Stop a little before the caller does, so that it hears VENDOR_DEADLINE_EXCEEDED (and the
    // audit line records it) rather than its own bare DEADLINE_EXCEEDED racing our answer.
    long remaining = Math.max(0, d.timeRemaining(TimeUnit.NANOSECONDS));
    long margin = Math.min(CALLER_DEADLINE_MARGIN.toNanos(), remaining / 10);
    return now.plusNanos(remaining - margin);
  }

  /** Records this call's vendor attempts on its audit line, when it has one (see {@link VendorCallTrail}). */
  private static VendorCallListener trace() {
    VendorCallTrail trail = VendorCallTrail.current();
    if (trail == null) {
      return VendorCallListener.NONE;
    }
    return e -> trail.add(e.operation(), e.httpStatus(), e.outcome(), e.elapsed().toMillis());
  }

  /**
   * Waits on the handler thread for at most the call's deadline (the bridge future never outlives
   * it) and gives up at once when the call is cancelled.
   */
  private static <T> T await(CompletableFuture<T> f, String userField, String passwordField) {
    Context ctx = Context.current();
    Context.CancellationListener onCancel = c -> f.cancel(false);
    ctx.addListener(onCancel, Runnable::run);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(false);
      throw cancelled();
    } catch (CancellationException e) {
      throw cancelled();
    } catch (ExecutionException e) {
      VendorCallException v = VendorCallException.unwrap(e);
      if (v == null) {
        throw new IllegalStateException("vendor bridge failed unexpectedly", e.getCause());
      }
      throw toApi(v, userField, passwordField);
    } finally {
      ctx.removeListener(onCancel);
    }
  }

  /**
   * The user name exactly as the bridges send it to the vendor ({@link UserNames#canonical}: case
   * folded, checked). The handler applies the caller's user pattern to this, never to the name as
   * sent, so a policy sees what the vendor sees. Invalid names fail as the bridge would fail them.
   */
  public static String canonicalUserName(Vendor vendor, String userName, String field) {
    try {
      return UserNames.canonical(vendor, userName);
    } catch (VendorCallException e) {
      throw toApi(e, field, null);
    }
  }

  static ApiException toApi(VendorCallException v, String userField, String passwordField) {
    String field = null;
    if (v.reason() == VendorReason.EASEMOB_INVALID_PASSWORD) {
      field = passwordField;
    } else if (USER_FIELD_REASONS.contains(v.reason())) {
      field = userField;
    }
    return ApiException.of(Status.Code.valueOf(v.category().name()), field, v.reason().name(), v.getMessage());
  }

  private static ApiException cancelled() {
    return ApiException.of(Status.Code.CANCELLED, null, "CALL_CANCELLED",
        "the call was cancelled while waiting for the vendor");
  }

  private static ApiException misconfigured(String field, String app, IllegalArgumentException e) {
    // The message names a setting, never a secret (the bridge configs' checks hold no values but URLs).
    return ApiException.failedPrecondition(field, "VENDOR_REST_MISCONFIGURED",
        "app '" + app + "' REST settings are invalid: " + e.getMessage());
  }
}
