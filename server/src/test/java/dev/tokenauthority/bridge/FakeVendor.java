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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A loopback stand-in for the Agora Chat / Easemob REST platform (they share one API shape). It
 * simulates users and app tokens as the seeds document them, checks every request's path,
 * headers and body (a broken request is answered 400 "fake_contract_violation" and recorded in
 * {@link #violations()}), counts calls per operation, and can be told to answer the next calls of
 * an operation with scripted replies: any error, a delay, malformed JSON or a dropped connection.
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
  /** Bearer tokens the fake accepts for Agora Chat calls. */
  public volatile Predicate<String> acceptChatAppToken = t -> t.startsWith("chat-app-token-");
  /** Easemob app tokens the fake issued and still accepts. */
  public final Set<String> easemobAppTokens = ConcurrentHashMap.newKeySet();
  public volatile String clientId = "client-id-1";
  public volatile String clientSecret = "client-secret-do-not-log";
  /** expires_in the fake returns for app tokens and user tokens (in the wire unit). */
  public volatile long appTokenExpiresIn = 3600;
  public volatile Long userTokenExpiresIn = null; // null: echo the ttl asked for
  private final AtomicInteger tokenSeq = new AtomicInteger();

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

  public List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  public List<Call> calls(String operation) {
    return calls().stream().filter(c -> c.operation().equals(operation)).toList();
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
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String[] seg = path.substring(1).split("/");
    String op = classify(method, seg, body);
    calls.add(new Call(op, method, path, auth, body));
    counts.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();

    Queue<Reply> q = scripts.get(op);
    Reply scripted = q == null ? null : q.poll();
    reply(ex, scripted == null ? new Simulate() : scripted, op, seg, auth, body);
  }

  private void reply(HttpExchange ex, Reply r, String op, String[] seg, String auth, String body)
      throws IOException {
    if (r instanceof Delay d) {
      try {
        Thread.sleep(d.delay().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("fake vendor stopped");
      }
      reply(ex, d.then(), op, seg, auth, body);
    } else if (r instanceof Drop) {
      // An exception out of the handler makes the JDK server close the connection unanswered.
      throw new IllegalStateException("fake vendor drops the connection");
    } else if (r instanceof Json j) {
      send(ex, j.status(), j.body(), j.headers());
    } else {
      Json j = simulate(op, seg, ex, auth, body);
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

  private Json simulate(String op, String[] seg, HttpExchange ex, String auth, String body) {
    if (seg.length < 3 || !seg[0].equals(org) || !seg[1].equals(app)) {
      return (Json) error(404, "organization_application_not_found",
          "Could not find application for " + (seg.length > 1 ? seg[0] + "/" + seg[1] : "?"));
    }
    if (!"application/json".equals(ex.getRequestHeaders().getFirst("Accept"))) {
      return violation(op + ": Accept is not application/json");
    }
    try {
      return switch (op) {
        case GET_USER -> getUser(seg[3], auth, body);
        case REGISTER_USER -> registerUser(ex, auth, body);
        case APP_TOKEN -> appToken(ex, auth, jsonTree(body));
        case PASSWORD_GRANT -> passwordGrant(ex, auth, jsonTree(body));
        case INHERIT_GRANT -> inheritGrant(ex, auth, jsonTree(body));
        default -> violation("unexpected request " + op);
      };
    } catch (IOException e) {
      return violation(op + ": body is not JSON");
    }
  }

  private Json getUser(String name, String auth, String body) {
    if (!body.isEmpty()) {
      return violation("GET user with a body");
    }
    if (!chatAuthorized(auth)) {
      return (Json) error(401, "unauthorized", "Unable to authenticate (OAuth)");
    }
    User u = users.get(name);
    if (u == null) {
      return (Json) error(404, "service_resource_not_found", "Service resource not found");
    }
    return ok(entities(name, u));
  }

  private Json registerUser(HttpExchange ex, String auth, String body) throws IOException {
    if (!isJson(ex)) {
      return violation("register: Content-Type is not application/json");
    }
    if (!chatAuthorized(auth)) {
      return (Json) error(401, "unauthorized", "Unable to authenticate (OAuth)");
    }
    JsonNode arr = jsonTree(body);
    if (!arr.isArray() || arr.size() != 1) {
      return violation("register: body is not a one-element array");
    }
    String name = arr.get(0).path("username").asText("");
    String password = arr.get(0).path("password").asText("");
    if (name.isEmpty()) {
      return violation("register: no username");
    }
    if (password.length() < 20 || password.equals("123")) {
      return violation("register: weak password");
    }
    User fresh = new User(UUID.randomUUID().toString(), password, true);
    if (users.putIfAbsent(name, fresh) != null) {
      return (Json) error(400, "duplicate_unique_property_exists",
          "Application null Entity user requires that property named username be unique");
    }
    return ok(entities(name, fresh));
  }

  private Json appToken(HttpExchange ex, String auth, JsonNode b) {
    if (!isJson(ex)) {
      return violation("app token: Content-Type is not application/json");
    }
    if (auth != null) {
      return violation("app token: Authorization header sent with client_credentials");
    }
    if (!b.path("ttl").canConvertToLong() || b.path("ttl").asLong() < 1) {
      return violation("app token: no positive ttl");
    }
    if (!clientId.equals(b.path("client_id").asText()) || !clientSecret.equals(b.path("client_secret").asText())) {
      return (Json) error(401, "unauthorized", "Unable to authenticate (OAuth)");
    }
    String token = "YWMt-app-" + tokenSeq.incrementAndGet();
    easemobAppTokens.add(token);
    ObjectNode n = dev.tokenauthority.bridge.Json.MAPPER.createObjectNode();
    n.put("access_token", token);
    n.put("expires_in", appTokenExpiresIn);
    n.put("application", "app-uuid");
    return ok(n);
  }

  private Json passwordGrant(HttpExchange ex, String auth, JsonNode b) {
    if (!isJson(ex)) {
      return violation("password grant: Content-Type is not application/json");
    }
    if (auth != null) {
      return violation("password grant: Authorization header sent");
    }
    if (!b.path("ttl").canConvertToLong() || b.path("ttl").asLong() < 1) {
      return violation("password grant: no positive ttl");
    }
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

  private Json inheritGrant(HttpExchange ex, String auth, JsonNode b) {
    if (!isJson(ex)) {
      return violation("inherit grant: Content-Type is not application/json");
    }
    if (!b.path("autoCreateUser").isBoolean()) {
      return violation("inherit grant: autoCreateUser missing");
    }
    if (b.has("password")) {
      return violation("inherit grant: password sent");
    }
    if (!b.path("ttl").canConvertToLong() || b.path("ttl").asLong() < 1) {
      return violation("inherit grant: no positive ttl");
    }
    if (auth == null || !auth.startsWith("Bearer ") || !easemobAppTokens.contains(auth.substring(7))) {
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
