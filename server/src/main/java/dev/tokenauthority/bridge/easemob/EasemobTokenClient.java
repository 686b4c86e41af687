package dev.tokenauthority.bridge.easemob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenauthority.bridge.AppTokenSource;
import dev.tokenauthority.bridge.AuthorizedCalls;
import dev.tokenauthority.bridge.Json;
import dev.tokenauthority.bridge.UserNames;
import dev.tokenauthority.bridge.Vendor;
import dev.tokenauthority.bridge.VendorCallException;
import dev.tokenauthority.bridge.VendorCallListener;
import dev.tokenauthority.bridge.VendorErrorBody;
import dev.tokenauthority.bridge.VendorHttp;
import dev.tokenauthority.bridge.VendorReason;
import dev.tokenauthority.bridge.VendorRequest;
import dev.tokenauthority.bridge.VendorResponse;
import dev.tokenauthority.bridge.VendorUrls;
import dev.tokenauthority.core.Secret;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@link EasemobTokenGrants} over POST {base}/{org}/{app}/token (seed 004). */
public final class EasemobTokenClient implements EasemobTokenGrants {
  private static final Vendor VENDOR = Vendor.EASEMOB;
  static final String PASSWORD_GRANT = "easemob.password_grant";
  static final String INHERIT_GRANT = "easemob.inherit_grant";

  private final EasemobAppConfig config;
  private final VendorHttp http;
  private final AppTokenSource appTokens;
  private final URI tokenUri;

  public EasemobTokenClient(EasemobAppConfig config, VendorHttp http) {
    this(config, http, new EasemobAppTokens(config, http));
  }

  /** With a given app token source (shared with other Easemob calls for the same app). */
  public EasemobTokenClient(EasemobAppConfig config, VendorHttp http, AppTokenSource appTokens) {
    this.config = Objects.requireNonNull(config, "config");
    this.http = Objects.requireNonNull(http, "http");
    this.appTokens = Objects.requireNonNull(appTokens, "appTokens");
    this.tokenUri = VendorUrls.resolve(config.restBaseUrl(), config.orgName(), config.appName(), "token");
  }

  @Override
  public CompletableFuture<EasemobUserToken> passwordGrant(
      String userName, Secret password, Duration ttl, Instant deadline, VendorCallListener trace) {
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(deadline, "deadline");
    String name;
    try {
      name = UserNames.canonical(VENDOR, userName);
    } catch (VendorCallException e) {
      return CompletableFuture.failedFuture(e);
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("grant_type", "password");
    body.put("username", name);
    body.put("password", password.reveal());
    body.put("ttl", config.ttlUnit().toWire(ttl));
    VendorRequest req = VendorRequest.post(VENDOR, PASSWORD_GRANT, tokenUri, Optional.empty(), Json.bytes(body));
    return finish(http.send(req, deadline, trace).thenApply(this::accept), deadline);
  }

  @Override
  public CompletableFuture<EasemobUserToken> inheritGrant(
      String userName, boolean autoCreateUser, Duration ttl, Instant deadline, VendorCallListener trace) {
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(deadline, "deadline");
    String name;
    try {
      name = UserNames.canonical(VENDOR, userName);
    } catch (VendorCallException e) {
      return CompletableFuture.failedFuture(e);
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("grant_type", "inherit");
    body.put("username", name);
    body.put("autoCreateUser", autoCreateUser);
    body.put("ttl", config.ttlUnit().toWire(ttl));
    byte[] bytes = Json.bytes(body);
    return finish(inherit(bytes, autoCreateUser, deadline, trace), deadline);
  }

  private CompletableFuture<EasemobUserToken> inherit(
      byte[] body, boolean conflictRetryLeft, Instant deadline, VendorCallListener trace) {
    return AuthorizedCalls.send(http, appTokens,
            token -> VendorRequest.post(VENDOR, INHERIT_GRANT, tokenUri, Optional.of(token), body), deadline, trace)
        .thenCompose(resp -> {
          if (resp.status() == 409 && conflictRetryLeft) {
            // Concurrent auto-create of the same user (seed 004): the other creation usually wins
            // within a second, after which the retry finds the user.
            Duration wait = http.retryPolicy().backoff(0, Optional.empty(), http.random());
            if (http.clock().instant().plus(wait).isBefore(deadline)) {
              return http.delayer().delay(wait).thenCompose(v -> inherit(body, false, deadline, trace));
            }
          }
          return CompletableFuture.completedFuture(accept(resp));
        });
  }

  private EasemobUserToken accept(VendorResponse resp) {
    if (!resp.isSuccess()) {
      throw resp.failure(reasonFor(resp.status(), resp.errorBody()));
    }
    JsonNode json = resp.json();
    JsonNode token = json.path("access_token");
    JsonNode expiresIn = json.path("expires_in");
    JsonNode uuid = json.path("user").path("uuid");
    if (!token.isTextual() || token.asText().isEmpty() || !expiresIn.canConvertToLong()
        || expiresIn.asLong() < 0 || !uuid.isTextual() || uuid.asText().isBlank()) {
      throw resp.badResponse("no access_token, expires_in or user.uuid");
    }
    Duration lifetime = config.ttlUnit().fromWire(expiresIn.asLong());
    Optional<Instant> expiresAt =
        lifetime.isZero() ? Optional.empty() : Optional.of(http.clock().instant().plus(lifetime));
    String userName = json.path("user").path("username").asText("");
    return new EasemobUserToken(token.asText(), lifetime, expiresAt, uuid.asText(), userName);
  }

  /** Seed 004's error table; see docs/vendor-errors.md. */
  static VendorReason reasonFor(int status, VendorErrorBody err) {
    return switch (status) {
      case 400 -> switch (err.error()) {
        case "illegal_argument" -> err.descriptionContains("USERNAME_TOO_LONG")
            ? VendorReason.EASEMOB_USERNAME_TOO_LONG : VendorReason.CHAT_USER_NAME_INVALID;
        case "invalid_grant" -> err.descriptionContains("not activated")
            ? VendorReason.CHAT_USER_BANNED
            : err.descriptionContains("password")
                ? VendorReason.EASEMOB_INVALID_PASSWORD : VendorReason.VENDOR_REJECTED;
        default -> VendorReason.VENDOR_REJECTED;
      };
      case 401 -> VendorReason.VENDOR_UNAUTHORIZED;
      case 403 -> VendorReason.VENDOR_FORBIDDEN;
      case 404 -> err.error().equals("organization_application_not_found")
          ? VendorReason.VENDOR_APP_NOT_FOUND : VendorReason.CHAT_USER_NOT_FOUND;
      case 409 -> VendorReason.VENDOR_CONCURRENT_OPERATION;
      default -> VendorReason.VENDOR_REJECTED;
    };
  }

  /** Normalises failures to the bare VendorCallException and bounds by the caller's deadline. */
  private CompletableFuture<EasemobUserToken> finish(CompletableFuture<EasemobUserToken> f, Instant deadline) {
    return http.bound(VENDOR, f, deadline);
  }
}
