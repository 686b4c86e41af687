package dev.tokenauthority.bridge.easemob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenauthority.bridge.AppTokenSource;
import dev.tokenauthority.bridge.Json;
import dev.tokenauthority.bridge.SingleFlight;
import dev.tokenauthority.bridge.Vendor;
import dev.tokenauthority.bridge.VendorCallListener;
import dev.tokenauthority.bridge.VendorHttp;
import dev.tokenauthority.bridge.VendorReason;
import dev.tokenauthority.bridge.VendorRequest;
import dev.tokenauthority.bridge.VendorResponse;
import dev.tokenauthority.bridge.VendorUrls;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Easemob app token (client_credentials grant), cached until shortly before it expires and
 * refreshed by one request at a time however many callers need it.
 */
public final class EasemobAppTokens implements AppTokenSource {
  static final String OPERATION = "easemob.app_token";
  /** Refresh this long before expiry at most (or a tenth of the lifetime, if shorter). */
  static final Duration MAX_REFRESH_MARGIN = Duration.ofMinutes(5);
  /** Re-fetch a token Easemob says never expires (expires_in 0) after this anyway. */
  static final Duration MAX_CACHE_AGE = Duration.ofHours(24);

  private record Cached(String token, Instant refreshAt) {}

  private final EasemobAppConfig config;
  private final VendorHttp http;
  private final AtomicReference<Cached> current = new AtomicReference<>();
  private final SingleFlight<String, String> refresh = new SingleFlight<>();

  public EasemobAppTokens(EasemobAppConfig config, VendorHttp http) {
    this.config = Objects.requireNonNull(config, "config");
    this.http = Objects.requireNonNull(http, "http");
  }

  @Override
  public CompletableFuture<String> token(Instant deadline, VendorCallListener trace) {
    Cached c = current.get();
    if (c != null && http.clock().instant().isBefore(c.refreshAt())) {
      return CompletableFuture.completedFuture(c.token());
    }
    // The refresh is shared, so it runs to the bridge's own limit rather than the deadline of the
    // caller that started it (a later, more patient caller joins it); each caller waits at most
    // until its own deadline. The exchange is asynchronous: no thread waits on it. Its calls are
    // traced for the caller that started it.
    return http.bound(Vendor.EASEMOB, refresh.run("app", () -> fetch(http.sharedDeadline(), trace)), deadline);
  }

  @Override
  public void invalidate(String token) {
    Cached c = current.get();
    if (c != null && c.token().equals(token)) {
      current.compareAndSet(c, null);
    }
  }

  private CompletableFuture<String> fetch(Instant deadline, VendorCallListener trace) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("grant_type", "client_credentials");
    body.put("client_id", config.clientId());
    body.put("client_secret", config.clientSecret().reveal());
    body.put("ttl", config.ttlUnit().toWire(config.appTokenTtl()));
    VendorRequest req = VendorRequest.post(Vendor.EASEMOB, OPERATION,
        VendorUrls.resolve(config.restBaseUrl(), config.orgName(), config.appName(), "token"),
        Optional.empty(), Json.bytes(body));
    return http.send(req, deadline, trace).thenApply(this::accept);
  }

  private String accept(VendorResponse resp) {
    if (!resp.isSuccess()) {
      throw resp.failure(switch (resp.status()) {
        case 400, 401 -> VendorReason.VENDOR_UNAUTHORIZED;
        case 403 -> VendorReason.VENDOR_FORBIDDEN;
        case 404 -> VendorReason.VENDOR_APP_NOT_FOUND;
        default -> VendorReason.VENDOR_REJECTED;
      });
    }
    JsonNode json = resp.json();
    JsonNode token = json.path("access_token");
    JsonNode expiresIn = json.path("expires_in");
    if (!token.isTextual() || token.asText().isEmpty() || !expiresIn.canConvertToLong()
        || expiresIn.asLong() < 0) {
      throw resp.badResponse("no access_token or expires_in");
    }
    Duration lifetime = config.ttlUnit().fromWire(expiresIn.asLong());
    Duration keep;
    if (lifetime.isZero()) {
      keep = MAX_CACHE_AGE;
    } else {
      Duration margin = lifetime.dividedBy(10);
      keep = lifetime.minus(margin.compareTo(MAX_REFRESH_MARGIN) > 0 ? MAX_REFRESH_MARGIN : margin);
    }
    current.set(new Cached(token.asText(), http.clock().instant().plus(keep)));
    return token.asText();
  }
}
