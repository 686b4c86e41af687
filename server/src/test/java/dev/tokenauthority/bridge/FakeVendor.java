package dev.tokenauthority.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A loopback stand-in for the Agora Chat / Easemob REST platform (they share one API shape). It
 * simulates users and app tokens as the seeds document them, checks every request's method, path,
 * headers, Authorization and body, scripted answer or not (a broken request is answered 400
 * "fake_contract_violation" and recorded in {@link #violations()}), counts calls per operation,
 * and can be told to answer the next calls of an operation with scripted replies: any error, a
 * delay, malformed JSON or a dropped connection.
 */
public final class FakeVendor implements AutoCloseable {
  public static final String GET_USER = "chat.get_user";
  public static final String REGISTER_USER = "chat.register_user";
  public static final String APP_TOKEN = "easemob.app_token";
  public static final String PASSWORD_GRANT = "easemob.password_grant";
  public static final String INHERIT_GRANT = "easemob.inherit_grant";

  /** A recorded request. */
  public record Call(String operation, String method, String path, String authorization, String body) {}

  /** A scripted answer. */
  public sealed interface Reply {}

  public record Json(int status, String body, Map<String, String> headers) implements Reply {}

  public record Delay(Duration delay, Reply then) implements Reply {}

  public record Drop() implements Reply {}

  /** Answer as the simulation would. */
  public record Simulate() implements Reply {}

  public static Reply json(int status, String body) {
    return new Json(status, body, Map.of());
  }

  public static Reply error(int status, String error, String description) {
    return new Json(status, "{\"error\":\"" + error + "\",\"exception\":\"x\",\"timestamp\":1,"
        + "\"duration\":0,\"error_description\":\"" + description + "\"}", Map.of());
  }

  public static Reply delay(Duration d) {
    return new Delay(d, new Simulate());
  }

  public record User(String uuid, String password, boolean activated) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-vendor");
    t.setDaemon(true);
    return t;
  });
  private final String org;
  private final String app;
  private final Map<String, Queue<Reply>> scripts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  public final Map<String, User> users = new ConcurrentHashMap<>();
  /** W3C traceparent headers received (tracing tests). */
  public final List<String> traceparents = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Bearer tokens the fake accepts for Agora Chat calls. */
  public volatile Predicate<String> acceptChatAppToken = t -> t.startsWith("chat-app-token-");
  /** Easemob app tokens the fake issued and still accepts. */
  public final Set<String> easemobAppTokens = ConcurrentHashMap.newKeySet();
  /** Every Easemob app token the fake ever issued, in order (revoking does not remove one). */
  private final List<String> issuedAppTokens = new CopyOnWriteArrayList<>();
  /**
   * Told every password and client secret the bridge sends (at least {@value #MIN_REPORTED_SECRET}
   * characters: shorter strings would match innocent log lines), e.g. to register it with the
   * suite's log check.
   */
  public volatile Consumer<String> onSecret = s -> {};
  static final int MIN_REPORTED_SECRET = 8;
  public volatile String clientId = "client-id-1";
  public volatile String clientSecret = "client-secret-do-not-log";
  /** expires_in the fake returns for app tokens and user tokens (in the wire unit). */
  public volatile long appTokenExpiresIn = 3600;
  public volatile Long userTokenExpiresIn = null; // null: echo the ttl asked for
  private final AtomicInteger tokenSeq = new AtomicInteger();
  private final AtomicInteger delaying = new AtomicInteger();

  public FakeVendor(String org, String app) throws IOException {
    this.org = org;
    this.app = app;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void script(String operation, Reply... replies) {
    scripts.computeIfAbsent(operation, k -> new ConcurrentLinkedQueue<>()).addAll(List.of(replies));
  }

  public int count(String operation) {
    AtomicInteger c = counts.get(operation);
    return c == null ? 0 : c.get();
  }

  /** Requests the fake is sitting on right now (a scripted delay not yet over). */
  public int delaying() {
    return delaying.get();
  }

  public List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  public List<Call> calls(String operation) {
    return calls().stream().filter(c -> c.operation().equals(operation)).toList();
  }

  /** The Easemob app tokens issued so far, oldest first. */
  public List<String> issuedAppTokens() {
    return List.copyOf(issuedAppTokens);
  }

  public List<String> violations() {
    synchronized (violations) {
      return List.copyOf(violations);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- request handling ----

  private void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    String traceparent = ex.getRequestHeaders().getFirst("traceparent");
    if (traceparent != null) {
      traceparents.add(traceparent);
    }
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String[] seg = path.substring(1).split("/");
    String op = classify(method, seg, body);
    calls.add(new Call(op, method, path, auth, body));
    counts.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
    reportSecrets(op, body);

    // Every request must be well formed, whatever the answer: a scripted error does not excuse a
    // broken request (it is answered as a violation and the script is kept for the next call).
    String broken = contractViolation(op, seg, ex, auth, body);
    if (broken != null) {
      Json v = violation(broken);
      send(ex, v.status(), v.body(), v.headers());
      return;
    }
    if (!seg[0].equals(org) || !seg[1].equals(app)) {
      // What the platform answers for an org/app it does not host, before anything else.
      Json j = (Json) error(404, "organization_application_not_found",
          "Could not find application for " + seg[0] + "/" + seg[1]);
      send(ex, j.status(), j.body(), j.headers());
      return;
    }
    Queue<Reply> q = scripts.get(op);
    Reply scripted = q == null ? null : q.poll();
    reply(ex, scripted == null ? new Simulate() : scripted, op, seg, auth, body);
  }

  private void reply(HttpExchange ex, Reply r, String op, String[] seg, String auth, String body)
      throws IOException {
    if (r instanceof Delay d) {
      delaying.incrementAndGet();
      try {
        Thread.sleep(d.delay().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("fake vendor stopped");
      } finally {
        delaying.decrementAndGet();
      }
      reply(ex, d.then(), op, seg, auth, body);
    } else if (r instanceof Drop) {
      // An exception out of the handler makes the JDK server close the connection unanswered.
      throw new IllegalStateException("fake vendor drops the connection");
    } else if (r instanceof Json j) {
      send(ex, j.status(), j.body(), j.headers());
    } else {
      Json j = simulate(op, seg, auth, body);
      send(ex, j.status(), j.body(), j.headers());
    }
  }

  private String classify(String method, String[] seg, String body) {
    if (seg.length == 4 && seg[2].equals("users") && method.equals("GET")) {
      return GET_USER;
    }
    if (seg.length == 3 && seg[2].equals("users") && method.equals("POST")) {
      return REGISTER_USER;
    }
    if (seg.length == 3 && seg[2].equals("token") && method.equals("POST")) {
      try {
        String grant = FakeVendor.jsonTree(body).path("grant_type").asText("");
        return switch (grant) {
          case "client_credentials" -> APP_TOKEN;
          case "password" -> PASSWORD_GRANT;
          case "inherit" -> INHERIT_GRANT;
          default -> "token.unknown";
        };
      } catch (IOException e) {
        return "token.unparseable";
      }
    }
    return "unknown " + method + " " + String.join("/", seg);
  }

  /**
   * The documented request contract, checked for every request before any answer (scripted or
   * simulated): method and path (classify), Accept, Content-Type, Authorization (Bearer app token
   * for app-authorised calls, none for client_credentials and password grants) and body shape.
   * Whether a token or credential is valid is the simulation's business (it answers 401), not a
   * contract violation. Returns what is wrong, or null.
   */
  private String contractViolation(String op, String[] seg, HttpExchange ex, String auth, String body) {
    if (!List.of(GET_USER, REGISTER_USER, APP_TOKEN, PASSWORD_GRANT, INHERIT_GRANT).contains(op)) {
      return "unexpected request " + op;
    }
    if (!"application/json".equals(ex.getRequestHeaders().getFirst("Accept"))) {
      return op + ": Accept is not application/json";
    }
    if (op.equals(GET_USER)) {
      if (!body.isEmpty()) {
        return op + ": GET with a body";
      }
      if (!isCanonicalName(seg[3])) {
        return op + ": user name in the path is not canonical";
      }
      return bearerViolation(op, auth, false);
    }
    if (!isJson(ex)) {
      return op + ": Content-Type is not application/json";
    }
    JsonNode b;
    try {
      b = jsonTree(body);
    } catch (IOException e) {
      return op + ": body is not JSON";
    }
    if (op.equals(REGISTER_USER)) {
      if (!b.isArray() || b.size() != 1) {
        return op + ": body is not a one-element array";
      }
      String password = b.get(0).path("password").asText("");
      if (!isCanonicalName(b.get(0).path("username").asText(""))) {
        return op + ": username missing or not canonical";
      }
      if (password.length() < 20 || password.equals("123")) {
        return op + ": weak password";
      }
      return bearerViolation(op, auth, false);
    }
    if (!b.isObject()) {
      return op + ": body is not an object";
    }
    if (!b.path("ttl").isIntegralNumber() || b.path("ttl").asLong() < 1) {
      return op + ": no positive integer ttl";
    }
    return switch (op) {
      case APP_TOKEN -> auth != null ? op + ": Authorization header sent with client_credentials"
          : !b.path("client_id").isTextual() || b.path("client_id").asText().isEmpty() ? op + ": no client_id"
          : !b.path("client_secret").isTextual() || b.path("client_secret").asText().isEmpty()
              ? op + ": no client_secret"
          : b.has("username") || b.has("password") ? op + ": user fields sent" : null;
      case PASSWORD_GRANT -> auth != null ? op + ": Authorization header sent"
          : !isCanonicalName(b.path("username").asText("")) ? op + ": username missing or not canonical"
          : !b.path("password").isTextual() || b.path("password").asText().isEmpty() ? op + ": no password"
          : b.has("autoCreateUser") ? op + ": autoCreateUser sent" : null;
      default -> !isCanonicalName(b.path("username").asText("")) ? op + ": username missing or not canonical"
          : !b.path("autoCreateUser").isBoolean() ? op + ": autoCreateUser missing"
          : b.has("password") ? op + ": password sent"
          : bearerViolation(op, auth, true);
    };
  }

  /** "Bearer <token>"; for Easemob, a token this fake issued (valid or since revoked). */
  private String bearerViolation(String op, String auth, boolean easemobToken) {
    if (auth == null || !auth.startsWith("Bearer ") || auth.length() == 7 || auth.substring(7).isBlank()
        || auth.substring(7).chars().anyMatch(Character::isWhitespace)) {
      return op + ": no Bearer app token";
    }
    if (easemobToken && !issuedAppTokens.contains(auth.substring(7))) {
      return op + ": Bearer token was never issued by the vendor";
    }
    return null;
  }

  private static boolean isCanonicalName(String name) {
    return name.matches("[a-z0-9_.-]{1,64}");
  }

  /** Passes credentials the bridge sent (passwords, client secrets) to {@link #onSecret}. */
  private void reportSecrets(String op, String body) {
    try {
      JsonNode b = jsonTree(body.isEmpty() ? "{}" : body);
      Iterable<JsonNode> holders = b.isArray() ? b : List.of(b);
      for (JsonNode h : holders) {
        for (String key : List.of("password", "client_secret")) {
          String v = h.path(key).asText("");
          if (v.length() >= MIN_REPORTED_SECRET) {
            onSecret.accept(v);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not JSON: the contract check reports it.
    }
  }

  private Json simulate(String op, String[] seg, String auth, String body) {
    try {
      return switch (op) {
        case GET_USER -> getUser(seg[3], auth);
        case REGISTER_USER -> registerUser(auth, body);
        case APP_TOKEN -> appToken(jsonTree(body));
        case PASSWORD_GRANT -> passwordGrant(jsonTree(body));
        case INHERIT_GRANT -> inheritGrant(auth, jsonTree(body));
        default -> violation("unexpected request " + op);
      };
    } catch (IOException e) {
      return violation(op + ": body is not JSON");
    }
  }

  private Json getUser(String name, String auth) {
    if (!chatAuthorized(auth)) {
      return (Json) error(401, "unauthorized", "Unable to authenticate (OAuth)");
    }
    User u = users.get(name);
    if (u == null) {
      return (Json) error(404, "service_resource_not_found", "Service resource not found");
    }
    return ok(entities(name, u));
  }

  private Json registerUser(String auth, String body) throws IOException {
    if (!chatAuthorized(auth)) {
      return (Json) error(401, "unauthorized", "Unable to authenticate (OAuth)");
    }
    JsonNode arr = jsonTree(body);
    String name = arr.get(0).path("username").asText("");
    String password = arr.get(0).path("password").asText("");
    User fresh = new User(UUID.randomUUID().toString(), password, true);
    if (users.putIfAbsent(name, fresh) != null) {
      return (Json) error(400, "duplicate_unique_property_exists",
          "Application null Entity user requires that property named username be unique");
    }
    return ok(entities(name, fresh));
  }

  private Json appToken(JsonNode b) {
    if (!clientId.equals(b.path("client_id").asText()) || !clientSecret.equals(b.path("client_secret").asText())) {
      return (Json) error(401, "unauthorized", "Unable to authenticate (OAuth)");
    }
    String token = "YWMt-app-" + tokenSeq.incrementAndGet();
    easemobAppTokens.add(token);
    issuedAppTokens.add(token);
    ObjectNode n = dev.tokenauthority.bridge.Json.MAPPER.createObjectNode();
    n.put("access_token", token);
    n.put("expires_in", appTokenExpiresIn);
    n.put("application", "app-uuid");
    return ok(n);
  }

  private Json passwordGrant(JsonNode b) {
    String name = b.path("username").asText("");
    User u = users.get(name);
    if (u == null) {
      return (Json) error(404, "invalid_grant", "user not found");
    }
    if (!u.activated()) {
      return (Json) error(400, "invalid_grant", "user not activated");
    }
    if (!u.password().equals(b.path("password").asText())) {
      return (Json) error(400, "invalid_grant", "invalid password");
    }
    return ok(userToken(name, u, b.path("ttl").asLong()));
  }

  private Json inheritGrant(String auth, JsonNode b) {
    if (!easemobAppTokens.contains(auth.substring(7))) {
      return (Json) error(401, "unauthorized", "Unable to authenticate (OAuth)");
    }
    String name = b.path("username").asText("");
    User u = users.get(name);
    if (u == null) {
      if (!b.path("autoCreateUser").asBoolean()) {
        return (Json) error(404, "invalid_grant", "user not found");
      }
      u = users.computeIfAbsent(name, k -> new User(UUID.randomUUID().toString(), "", true));
    }
    if (!u.activated()) {
      return (Json) error(400, "invalid_grant", "user not activated");
    }
    return ok(userToken(name, u, b.path("ttl").asLong()));
  }

  private ObjectNode userToken(String name, User u, long ttl) {
    ObjectNode n = dev.tokenauthority.bridge.Json.MAPPER.createObjectNode();
    n.put("access_token", "YWMt-user-" + tokenSeq.incrementAndGet());
    n.put("expires_in", userTokenExpiresIn == null ? ttl : userTokenExpiresIn);
    ObjectNode user = n.putObject("user");
    user.put("uuid", u.uuid());
    user.put("type", "user");
    user.put("created", 1637740861395L);
    user.put("modified", 1637740861395L);
    user.put("username", name);
    user.put("activated", u.activated());
    return n;
  }

  private ObjectNode entities(String name, User u) {
    ObjectNode n = dev.tokenauthority.bridge.Json.MAPPER.createObjectNode();
    n.put("action", "get");
    n.put("path", "/users");
    ArrayNode arr = n.putArray("entities");
    ObjectNode e = arr.addObject();
    e.put("uuid", u.uuid());
    e.put("type", "user");
    e.put("created", 1542795196504L);
    e.put("modified", 1542795196504L);
    e.put("username", name);
    e.put("activated", u.activated());
    n.put("timestamp", 1542795196515L);
    n.put("organization", org);
    n.put("applicationName", app);
    return n;
  }

  private boolean chatAuthorized(String auth) {
    return auth != null && auth.startsWith("Bearer ") && acceptChatAppToken.test(auth.substring(7));
  }

  private static boolean isJson(HttpExchange ex) {
    String ct = ex.getRequestHeaders().getFirst("Content-Type");
    return ct != null && ct.startsWith("application/json");
  }

  private Json violation(String what) {
    violations.add(what);
    return (Json) error(400, "fake_contract_violation", what);
  }

  private static Json ok(JsonNode n) {
    return new Json(200, n.toString(), Map.of());
  }

  static JsonNode jsonTree(String s) throws IOException {
    return dev.tokenauthority.bridge.Json.MAPPER.readTree(s);
  }

  private static void send(HttpExchange ex, int status, String body, Map<String, String> headers)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    // No pooled connections: every call is a fresh exchange, so drops and counts are exact.
    ex.getResponseHeaders().set("Connection", "close");
    headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
    ex.close();
  }
}
