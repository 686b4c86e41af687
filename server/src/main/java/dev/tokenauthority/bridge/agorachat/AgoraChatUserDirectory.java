package dev.tokenauthority.bridge.agorachat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenauthority.bridge.AppTokenSource;
import dev.tokenauthority.bridge.AuthorizedCalls;
import dev.tokenauthority.bridge.ExpiringLruCache;
import dev.tokenauthority.bridge.Json;
import dev.tokenauthority.bridge.SingleFlight;
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
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@link ChatUserDirectory} over the Agora Chat REST API (seed 000): GET
 * {base}/{org}/{app}/users/{name} with a freshly minted chat app token, and optionally POST
 * {base}/{org}/{app}/users to register. Answers are cached per name (bounded, expiring);
 * concurrent requests for one name share one REST exchange.
 */
public final class AgoraChatUserDirectory implements ChatUserDirectory {
  private static final Vendor VENDOR = Vendor.AGORA_CHAT;
  private static final String GET_USER = "chat.get_user";
  private static final String REGISTER_USER = "chat.register_user";

  private final AgoraChatAppConfig config;
  private final VendorHttp http;
  private final AppTokenSource appTokens;
  private final SecureRandom passwordRandom;
  private final ExpiringLruCache<String, String> uuidByName;
  private final SingleFlight<FlightKey, ChatUser> flights = new SingleFlight<>();

  private record FlightKey(String name, boolean register) {}

  /**
   * @param appTokenSupplier mints a fresh Agora Chat app token (Chat service, privilege "app") for
   *     this app, e.g. the core's chat app token builder; called for every REST exchange
   */
  public AgoraChatUserDirectory(
      AgoraChatAppConfig config, Supplier<String> appTokenSupplier, VendorHttp http, SecureRandom passwordRandom) {
    this.config = Objects.requireNonNull(config, "config");
    this.http = Objects.requireNonNull(http, "http");
    this.appTokens = new MintedAppTokens(Objects.requireNonNull(appTokenSupplier, "appTokenSupplier"));
    this.passwordRandom = Objects.requireNonNull(passwordRandom, "passwordRandom");
    this.uuidByName = new ExpiringLruCache<>(config.userCacheSize(), config.userCacheTtl(), http.clock());
  }

  @Override
  public CompletableFuture<ChatUser> resolveUuid(
      String userName, boolean registerIfMissing, Instant deadline, VendorCallListener trace) {
    Objects.requireNonNull(deadline, "deadline");
    String name;
    try {
      name = UserNames.canonical(VENDOR, userName);
    } catch (VendorCallException e) {
      return CompletableFuture.failedFuture(e);
    }
    Optional<String> cached = uuidByName.get(name);
    if (cached.isPresent()) {
      return CompletableFuture.completedFuture(new ChatUser(name, cached.get(), false));
    }
    // The shared exchange runs to the bridge's own limit, not to the deadline of the caller that
    // happened to start it: a patient caller joining a hasty caller's flight must not fail at the
    // hasty deadline. Each caller's wait is bounded by its own deadline (bound); the exchange is
    // asynchronous, so a flight that outlives its callers holds no thread and fills the cache.
    CompletableFuture<ChatUser> shared = flights.run(new FlightKey(name, registerIfMissing),
        () -> load(name, registerIfMissing, http.sharedDeadline(), trace));
    return http.bound(VENDOR, shared, deadline);
  }

  /** Name lookups answered from the cache, and not, since this directory was built (metrics). */
  public long cacheHits() {
    return uuidByName.hits();
  }

  public long cacheMisses() {
    return uuidByName.misses();
  }

  /** Drops a cached name, e.g. after the vendor rejected a token minted for its UUID. */
  public void forget(String userName) {
    uuidByName.invalidate(userName.toLowerCase(java.util.Locale.ROOT));
  }

  int cachedUsers() {
    return uuidByName.size();
  }

  private CompletableFuture<ChatUser> load(String name, boolean register, Instant deadline, VendorCallListener trace) {
    return lookup(name, deadline, trace)
        .thenCompose(found -> {
          if (found.isPresent()) {
            return CompletableFuture.completedFuture(found.get());
          }
          if (!register) {
            return CompletableFuture.failedFuture(notFound());
          }
          return registerUser(name, deadline, true, trace);
        })
        .thenApply(user -> {
          uuidByName.put(name, user.uuid());
          return user;
        });
  }

  private CompletableFuture<Optional<ChatUser>> lookup(String name, Instant deadline, VendorCallListener trace) {
    URI uri = VendorUrls.resolve(config.restBaseUrl(), config.orgName(), config.appName(), "users", name);
    return AuthorizedCalls.send(http, appTokens, token -> VendorRequest.get(VENDOR, GET_USER, uri, token), deadline, trace)
        .thenApply(resp -> {
          if (resp.isSuccess()) {
            JsonNode entities = resp.json().path("entities");
            if (entities.isArray() && entities.isEmpty()) {
              return Optional.empty();
            }
            ChatUser user = readUser(resp, entities, name, false);
            if (!entities.path(0).path("activated").asBoolean(true)) {
              throw new VendorCallException(VENDOR, VendorReason.CHAT_USER_BANNED, resp.status(),
                  "the chat user is banned (not activated)");
            }
            return Optional.of(user);
          }
          VendorErrorBody err = resp.errorBody();
          if (resp.status() == 404 && !isAppNotFound(err)) {
            return Optional.empty();
          }
          throw commonFailure(resp, err);
        });
  }

  private CompletableFuture<ChatUser> registerUser(
      String name, Instant deadline, boolean mayRetryConflict, VendorCallListener trace) {
    URI uri = VendorUrls.resolve(config.restBaseUrl(), config.orgName(), config.appName(), "users");
    return AuthorizedCalls.send(http, appTokens,
            token -> VendorRequest.post(VENDOR, REGISTER_USER, uri, Optional.of(token), registrationBody(name)),
            deadline, trace)
        .thenCompose(resp -> {
          if (resp.isSuccess()) {
            return CompletableFuture.completedFuture(readUser(resp, resp.json().path("entities"), name, true));
          }
          VendorErrorBody err = resp.errorBody();
          if (resp.status() == 400 && err.error().equals("duplicate_unique_property_exists")) {
            // Someone registered it meanwhile (another instance or the client app): use theirs.
            return lookup(name, deadline, trace).thenApply(found -> found.orElseThrow(this::notFound));
          }
          if (resp.status() == 409) {
            if (!mayRetryConflict) {
              return CompletableFuture.failedFuture(resp.failure(VendorReason.VENDOR_CONCURRENT_OPERATION));
            }
            return retryAfterConflict(() -> registerUser(name, deadline, false, trace), resp, deadline);
          }
          return CompletableFuture.failedFuture(commonFailure(resp, err));
        });
  }

  private <T> CompletableFuture<T> retryAfterConflict(
      Supplier<CompletableFuture<T>> again, VendorResponse resp, Instant deadline) {
    var wait = http.retryPolicy().backoff(0, Optional.empty(), http.random());
    if (!http.clock().instant().plus(wait).isBefore(deadline)) {
      return CompletableFuture.failedFuture(resp.failure(VendorReason.VENDOR_CONCURRENT_OPERATION));
    }
    return http.delayer().delay(wait).thenCompose(v -> again.get());
  }

  /** A fresh random password per registration; it lives only in the request body. */
  private byte[] registrationBody(String name) {
    byte[] raw = new byte[24];
    passwordRandom.nextBytes(raw);
    ArrayNode body = Json.MAPPER.createArrayNode();
    ObjectNode user = body.addObject();
    user.put("username", name);
    user.put("password", Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
    return Json.bytes(body);
  }

  private static ChatUser readUser(VendorResponse resp, JsonNode entities, String name, boolean registered) {
    JsonNode uuid = entities.path(0).path("uuid");
    if (!uuid.isTextual() || uuid.asText().isBlank()) {
      throw resp.badResponse("no entities[0].uuid");
    }
    return new ChatUser(name, uuid.asText(), registered);
  }

  private static boolean isAppNotFound(VendorErrorBody err) {
    return err.error().equals("organization_application_not_found");
  }

  private VendorCallException notFound() {
    return new VendorCallException(VENDOR, VendorReason.CHAT_USER_NOT_FOUND, 404, "the chat user does not exist");
  }

  private static VendorCallException commonFailure(VendorResponse resp, VendorErrorBody err) {
    return resp.failure(switch (resp.status()) {
      case 400 -> err.error().equals("illegal_argument")
          ? VendorReason.CHAT_USER_NAME_INVALID : VendorReason.VENDOR_REJECTED;
      case 401 -> VendorReason.VENDOR_UNAUTHORIZED;
      case 403 -> VendorReason.VENDOR_FORBIDDEN;
      case 404 -> isAppNotFound(err) ? VendorReason.VENDOR_APP_NOT_FOUND : VendorReason.CHAT_USER_NOT_FOUND;
      case 409 -> VendorReason.VENDOR_CONCURRENT_OPERATION;
      default -> resp.status() >= 200 && resp.status() < 300
          ? VendorReason.VENDOR_BAD_RESPONSE : VendorReason.VENDOR_REJECTED;
    });
  }

  /** Agora Chat app tokens are minted locally, so "refresh" is simply minting another. */
  private static final class MintedAppTokens implements AppTokenSource {
    private final Supplier<String> supplier;

    MintedAppTokens(Supplier<String> supplier) {
      this.supplier = supplier;
    }

    @Override
    public CompletableFuture<String> token(Instant deadline, VendorCallListener trace) {
      try {
        String token = supplier.get();
        if (token == null || token.isEmpty()) {
          throw new IllegalStateException("empty");
        }
        return CompletableFuture.completedFuture(token);
      } catch (RuntimeException e) {
        // The supplier's message is not passed on: it is not ours to vouch for.
        return CompletableFuture.failedFuture(new VendorCallException(VENDOR,
            VendorReason.VENDOR_APP_TOKEN_UNAVAILABLE, "could not mint the chat app token"));
      }
    }

    @Override
    public void invalidate(String token) {
      // Nothing cached: the next token() mints a new one.
    }
  }
}
