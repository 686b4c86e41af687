package dev.tokenauthority.bridge;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Sends vendor requests asynchronously, retrying 5xx, 429 and transport failures with backoff,
 * and never past the caller's deadline: each attempt's timeout is the smaller of the per-request
 * timeout and the time left, and a backoff that would end past the deadline is not taken. No
 * thread waits on the vendor: sends, timeouts and backoff all run on the HttpClient and the JDK's
 * delay scheduler.
 *
 * <p>What comes back is the first answer that is not retried (2xx or 4xx other than 429); callers
 * map 4xx to reasons. Exhausted retries fail with VENDOR_RATE_LIMITED (429) or VENDOR_UNAVAILABLE.
 * A 429 {@code resource_limited} is the app's plan quota, not a rate limit: it fails at once with
 * VENDOR_QUOTA_EXCEEDED.
 */
public final class VendorHttp {
  private final Supplier<HttpClient> client;
  private final BridgeSettings settings;
  private final Clock clock;
  private final RandomGenerator random;
  private final Delayer delayer;
  private final VendorCallListener listener;
  private final VendorSpans spans;

  public VendorHttp(
      HttpClient client,
      BridgeSettings settings,
      Clock clock,
      RandomGenerator random,
      Delayer delayer,
      VendorCallListener listener) {
    this(fixed(client), settings, clock, random, delayer, listener, VendorSpans.NONE);
  }

  /**
   * @param client asked on each send; see {@link #buildInBackground}
   * @param spans a client span per attempt, and the W3C trace context on the vendor request
   */
  public VendorHttp(
      Supplier<HttpClient> client,
      BridgeSettings settings,
      Clock clock,
      RandomGenerator random,
      Delayer delayer,
      VendorCallListener listener,
      VendorSpans spans) {
    this.spans = Objects.requireNonNull(spans, "spans");
    this.client = Objects.requireNonNull(client, "client");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.delayer = Objects.requireNonNull(delayer, "delayer");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  private static Supplier<HttpClient> fixed(HttpClient client) {
    Objects.requireNonNull(client, "client");
    return () -> client;
  }

  /**
   * {@link #newHttpClient} built on another thread, starting now. Building it loads the JDK's TLS
   * stack and trust store (~0.2 s of the server's start on the 2-core reference machine), which no
   * local mint needs: the server reports SERVING without waiting for it, and the first vendor call
   * waits for it if it is not done yet.
   */
  public static Supplier<HttpClient> buildInBackground(BridgeSettings settings) {
    CompletableFuture<HttpClient> building = new CompletableFuture<>();
    Thread builder = new Thread(() -> {
      try {
        building.complete(newHttpClient(settings));
      } catch (RuntimeException | Error e) {
        // Said once here: each vendor call then fails as VENDOR_UNAVAILABLE ("could not send").
        System.getLogger(VendorHttp.class.getName()).log(System.Logger.Level.ERROR,
            "cannot build the HTTPS client for vendor REST calls; every vendor call will fail", e);
        building.completeExceptionally(e);
      }
    }, "ta-vendor-http-init");
    builder.setDaemon(true);
    builder.start();
    return building::join;
  }

  /** A client for vendors: TLS with the JDK's trust store, connect timeout, no redirects. */
  public static HttpClient newHttpClient(BridgeSettings settings) {
    return HttpClient.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  public Clock clock() {
    return clock;
  }

  public RandomGenerator random() {
    return random;
  }

  public Delayer delayer() {
    return delayer;
  }

  public RetryPolicy retryPolicy() {
    return settings.retry();
  }

  /** The deadline for work shared by several callers, starting now (see {@link BridgeSettings#sharedCallLimit}). */
  public Instant sharedDeadline() {
    return clock.instant().plus(settings.sharedCallLimit());
  }

  public CompletableFuture<VendorResponse> send(VendorRequest request, Instant deadline) {
    return send(request, deadline, VendorCallListener.NONE);
  }

  /**
   * @param trace told of every attempt of this request besides the bridge-wide listener, e.g. to
   *     put the calls an RPC made on its audit line
   */
  public CompletableFuture<VendorResponse> send(VendorRequest request, Instant deadline, VendorCallListener trace) {
    // The caller's trace context, captured on its thread: retries run on the delay scheduler.
    return attempt(request, deadline, 1, Objects.requireNonNull(trace, "trace"), spans.parent());
  }

  /** Time left before the deadline, or a DEADLINE_EXCEEDED failure when none is. */
  public Duration remaining(Vendor vendor, Instant deadline) {
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      throw deadlineExceeded(vendor);
    }
    return left;
  }

  /**
   * Bounds a future shared with other callers (single flight) by this caller's deadline, without
   * letting this caller cancel the shared work.
   */
  public <T> CompletableFuture<T> bound(Vendor vendor, CompletableFuture<T> shared, Instant deadline) {
    Duration left;
    try {
      left = remaining(vendor, deadline);
    } catch (VendorCallException e) {
      return CompletableFuture.failedFuture(e);
    }
    return shared
        .copy()
        .orTimeout(left.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            t -> CompletableFuture.failedFuture(
                unwrap(t) instanceof TimeoutException ? deadlineExceeded(vendor) : unwrap(t)));
  }

  public static VendorCallException deadlineExceeded(Vendor vendor) {
    return new VendorCallException(
        vendor, VendorReason.VENDOR_DEADLINE_EXCEEDED,
        vendor.id() + " did not answer within the caller's deadline");
  }

  private CompletableFuture<VendorResponse> attempt(
      VendorRequest req, Instant deadline, int n, VendorCallListener trace, VendorSpans.Parent parent) {
    Duration left;
    try {
      left = remaining(req.vendor(), deadline);
    } catch (VendorCallException e) {
      emit(trace, req, n, -1, "DEADLINE_EXCEEDED", Duration.ZERO);
      return CompletableFuture.failedFuture(e);
    }
    boolean deadlineBound = left.compareTo(settings.requestTimeout()) <= 0;
    Duration timeout = deadlineBound ? left : settings.requestTimeout();
    VendorSpans.Attempt span = spans.start(parent, req.vendor(), req.operation(), req.method(), n);
    HttpRequest httpRequest = toHttp(req, timeout, span);
    Instant started = clock.instant();

    CompletableFuture<HttpResponse<byte[]>> sent;
    try {
      sent = client.get().sendAsync(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
    } catch (RuntimeException e) {
      span.end(-1, "TRANSPORT_ERROR");
      return CompletableFuture.failedFuture(transportFailure(req, "could not send"));
    }
    // HttpRequest.timeout stops waiting for headers only; this guard also covers a stalled body,
    // and cancelling the send aborts the exchange so nothing stays attached to the vendor.
    CompletableFuture<HttpResponse<byte[]>> guarded =
        sent.copy().orTimeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    guarded.whenComplete((r, e) -> {
      if (e != null) {
        sent.cancel(true);
      }
    });

    guarded.whenComplete((r, e) -> span.end(r == null ? -1 : r.statusCode(), e == null ? "OK" : "TRANSPORT_ERROR"));
    return guarded.handle((resp, err) -> {
      Duration elapsed = Duration.between(started, clock.instant());
      if (err != null) {
        Throwable cause = unwrap(err);
        boolean connectTimeout = cause instanceof java.net.http.HttpConnectTimeoutException;
        if (!connectTimeout
            && (cause instanceof HttpTimeoutException || cause instanceof TimeoutException)) {
          if (deadlineBound) {
            emit(trace, req, n, -1, "DEADLINE_EXCEEDED", elapsed);
            return CompletableFuture.<VendorResponse>failedFuture(deadlineExceeded(req.vendor()));
          }
          emit(trace, req, n, -1, "TIMEOUT", elapsed);
          return retryOrFail(trace, parent, req, deadline, n, Optional.empty(),
              transportFailure(req, "timed out"));
        }
        if (cause instanceof IOException) {
          emit(trace, req, n, -1, "TRANSPORT_ERROR", elapsed);
          return retryOrFail(trace, parent, req, deadline, n, Optional.empty(),
              transportFailure(req, "connection failed"));
        }
        emit(trace, req, n, -1, "TRANSPORT_ERROR", elapsed);
        return CompletableFuture.<VendorResponse>failedFuture(transportFailure(req, "request failed"));
      }
      int status = resp.statusCode();
      if (status == 429 && isQuotaExhausted(resp.body())) {
        emit(trace, req, n, status, "HTTP_ERROR", elapsed);
        return CompletableFuture.<VendorResponse>failedFuture(new VendorCallException(
            req.vendor(), VendorReason.VENDOR_QUOTA_EXCEEDED, status,
            req.vendor().id() + " " + req.operation() + " answered 429 resource_limited: the app's plan quota is used up"));
      }
      if (status == 429 || status >= 500) {
        emit(trace, req, n, status, "RETRY", elapsed);
        VendorReason reason = status == 429 ? VendorReason.VENDOR_RATE_LIMITED : VendorReason.VENDOR_UNAVAILABLE;
        VendorCallException failure = new VendorCallException(
            req.vendor(), reason, status,
            req.vendor().id() + " " + req.operation() + " answered " + status);
        return retryOrFail(trace, parent, req, deadline, n, retryAfter(resp), failure);
      }
      emit(trace, req, n, status, status < 300 ? "OK" : "HTTP_ERROR", elapsed);
      return CompletableFuture.completedFuture(
          new VendorResponse(req.vendor(), req.operation(), status, resp.body()));
    }).thenCompose(f -> f);
  }

  private CompletableFuture<VendorResponse> retryOrFail(
      VendorCallListener trace, VendorSpans.Parent parent, VendorRequest req, Instant deadline, int n, Optional<Duration> retryAfter,
      VendorCallException failure) {
    if (n >= settings.retry().maxAttempts()) {
      return CompletableFuture.failedFuture(failure);
    }
    Duration wait = settings.retry().backoff(n - 1, retryAfter, random);
    if (!clock.instant().plus(wait).isBefore(deadline)) {
      // Waiting would outlive the caller: report what the vendor said rather than a timeout.
      return CompletableFuture.failedFuture(failure);
    }
    return delayer.delay(wait).thenCompose(v -> attempt(req, deadline, n + 1, trace, parent));
  }

  /**
   * Seed 004: 429 {@code resource_limited} means the registered users exceed the edition's cap
   * ("upgrade to the enterprise edition"). Retrying cannot fix that, unlike a rate limit.
   */
  private static boolean isQuotaExhausted(byte[] body) {
    return VendorErrorBody.parse(body).error().equals("resource_limited");
  }

  private Optional<Duration> retryAfter(HttpResponse<?> resp) {
    return resp.headers().firstValue("Retry-After").flatMap(v -> parseRetryAfter(v, clock));
  }

  /** Retry-After as delta-seconds or an HTTP date; anything else is ignored. */
  static Optional<Duration> parseRetryAfter(String value, Clock clock) {
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return Optional.of(Duration.ofSeconds(Math.max(0, Math.min(seconds, 86_400))));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(clock.instant(), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (RuntimeException notDate) {
        return Optional.empty();
      }
    }
  }

  private HttpRequest toHttp(VendorRequest req, Duration timeout, VendorSpans.Attempt span) {
    HttpRequest.Builder b = HttpRequest.newBuilder(req.uri())
        .timeout(timeout)
        .header("Accept", "application/json");
    span.traceparent().ifPresent(tp -> b.header("traceparent", tp));
    req.bearerToken().ifPresent(t -> b.header("Authorization", "Bearer " + t));
    if (req.body().isPresent()) {
      b.header("Content-Type", "application/json");
      b.method(req.method(), HttpRequest.BodyPublishers.ofByteArray(req.body().get()));
    } else {
      b.method(req.method(), HttpRequest.BodyPublishers.noBody());
    }
    return b.build();
  }

  private static VendorCallException transportFailure(VendorRequest req, String what) {
    return new VendorCallException(
        req.vendor(), VendorReason.VENDOR_UNAVAILABLE,
        req.vendor().id() + " " + req.operation() + " " + what);
  }

  private void emit(
      VendorCallListener trace, VendorRequest req, int n, int status, String outcome, Duration elapsed) {
    VendorCallEvent event = new VendorCallEvent(req.vendor(), req.operation(), n, status, outcome, elapsed);
    for (VendorCallListener l : new VendorCallListener[] {listener, trace}) {
      try {
        l.onAttempt(event);
      } catch (RuntimeException ignored) {
        // Audit must never break a call.
      }
    }
  }

  static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof CompletionException || cur instanceof ExecutionException)
        && cur.getCause() != null) {
      cur = cur.getCause();
    }
    return cur;
  }
}
