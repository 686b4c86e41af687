package dev.tokenauthority.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.bridge.VendorUrls;
import dev.tokenauthority.bridge.agorachat.AgoraChatAppConfig;
import dev.tokenauthority.bridge.easemob.EasemobAppConfig;
import dev.tokenauthority.bridge.easemob.TtlUnit;
import dev.tokenauthority.core.ClockSkew;
import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.agora.AgoraValidation;
import dev.tokenauthority.core.easemobdt.EasemobRules;
import dev.tokenauthority.core.zego04.ZegoRules;
import dev.tokenauthority.server.limits.CallerQuota;
import dev.tokenauthority.server.limits.Rate;
import dev.tokenauthority.server.policy.CallerPolicy;
import dev.tokenauthority.server.policy.RtcRoleRule;
import dev.tokenauthority.server.policy.TokenKind;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Reads the YAML configuration (documented in docs/configuration.md) into a validated
 * {@link ServerConfig}. Credentials are resolved here, from environment variables or files, so a
 * missing secret stops start-up rather than the first call. Every error names its key.
 */
public final class ConfigLoader {
  /** Agora and ZEGO tokens live at most 24 hours; no policy may promise more. */
  public static final long MAX_LIFETIME_SECONDS = 86_400;
  /** An hour: beyond that a clock is broken, not skewed. */
  static final long MAX_CLOCK_SKEW_SECONDS = 3_600;

  static final Set<String> RPC_NAMES =
      TokenAuthorityServiceGrpc.getServiceDescriptor().getMethods().stream()
          .map(MethodDescriptor::getBareMethodName)
          .collect(Collectors.toUnmodifiableSet());

  private static final Pattern NO_SPACES = Pattern.compile("\\S+");
  private static final Pattern APP_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  /**
   * Strict: a duplicate key anywhere is an error, never "the later entry wins". In a holder so the
   * development default, which reads no file, does not load Jackson (~0.15 s of its start).
   */
  private static final class Yaml {
    static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  }

  private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:field|Object property) '([^']*)'.*",
      Pattern.DOTALL);

  private final Function<String, String> env;

  /** Reads credentials from the process environment. */
  public ConfigLoader() {
    this(System::getenv);
  }

  /** Reads credentials from the given environment (tests). */
  public ConfigLoader(Function<String, String> env) {
    this.env = env;
  }

  public ServerConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("(file)", "cannot read " + file + ": " + e.getMessage());
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, base);
  }

  /** Parses YAML text; relative file paths resolve against {@code baseDir}. */
  public ServerConfig parse(String yaml, Path baseDir) {
    JsonNode tree;
    try {
      tree = Yaml.MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      String duplicate = duplicateKey(e);
      if (duplicate != null) { // a YAML map may not repeat a key: which entry was meant is unknown
        throw new ConfigException(duplicate, "is given twice (line "
            + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + "); give each key once");
      }
      // Jackson's message may quote the offending line; a secret never lives inline in this file.
      throw new ConfigException("(syntax)", "not valid YAML at line "
          + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": " + e.getOriginalMessage());
    }
    if (tree == null || tree.isMissingNode()) {
      throw new ConfigException("(root)", "the file is empty");
    }
    ConfigNode root = new ConfigNode(tree, "");
    ServerConfig.Listen listen = listen(root.optChild("listen"));
    Optional<ServerConfig.Tls> tls = root.optChild("tls").map(n -> tls(n, baseDir));
    if (tls.isEmpty() && !isLoopback(listen.host())) {
      throw new ConfigException("listen.address",
          "'" + listen.host() + "' is not a loopback address; listening beyond loopback requires tls");
    }
    Map<String, AppConfig> apps = apps(root.child("apps"), baseDir);
    Map<String, CallerPolicy> callers = callers(root.children("callers"), apps);
    Duration grace = root.optChild("renewal")
        .map(n -> {
          long s = n.longValue("grace_seconds", 0, MAX_LIFETIME_SECONDS, 0);
          n.finish();
          return Duration.ofSeconds(s);
        })
        .orElse(Duration.ZERO);
    Duration maxClockSkew = root.optChild("tokens")
        .map(n -> {
          long s = n.longValue("max_clock_skew_seconds", 0, MAX_CLOCK_SKEW_SECONDS, ClockSkew.DEFAULT.toSeconds());
          n.finish();
          return Duration.ofSeconds(s);
        })
        .orElse(ClockSkew.DEFAULT);
    ServerConfig.Limits limits = limits(root.optChild("limits"));
    ServerConfig.Shutdown shutdown = shutdown(root.optChild("shutdown"));
    Optional<ServerConfig.Listen> health = root.optChild("health_listen").map(n -> healthListen(n, listen));
    ObservabilityConfig observability = ObservabilityConfigReader.read(root, baseDir, listen, health);
    root.finish();
    return new ServerConfig(listen, tls, apps, callers, grace, limits, shutdown, false, health, maxClockSkew,
        observability);
  }

  /** The repeated key's name when {@code e} reports a duplicate key (Jackson's wording), else null. */
  private static String duplicateKey(JsonProcessingException e) {
    java.util.regex.Matcher m = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
    return m.matches() ? m.group(1) : null;
  }

  public static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static ServerConfig.Listen listen(Optional<ConfigNode> node) {
    if (node.isEmpty()) {
      return new ServerConfig.Listen("127.0.0.1", 50051);
    }
    ConfigNode n = node.get();
    String host = n.optString("address").orElse("127.0.0.1");
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new ConfigException(n.key("address"), "cannot resolve '" + host + "'");
    }
    int port = (int) n.longValue("port", 0, 65535, 50051);
    n.finish();
    return new ServerConfig.Listen(host, port);
  }

  /**
   * Plaintext, health-only listener. Unlike {@code listen} it may use any address without TLS: it
   * serves grpc.health.v1 alone. The address defaults to the main listener's.
   */
  private static ServerConfig.Listen healthListen(ConfigNode n, ServerConfig.Listen main) {
    String host = n.optString("address").orElse(main.host());
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new ConfigException(n.key("address"), "cannot resolve '" + host + "'");
    }
    long port = n.optLong("port", 1, 65535)
        .orElseThrow(() -> new ConfigException(n.key("port"), "is required"));
    if (port == main.port()) {
      throw new ConfigException(n.key("port"), "must differ from listen.port (" + main.port() + ")");
    }
    n.finish();
    return new ServerConfig.Listen(host, (int) port);
  }

  private static ServerConfig.Tls tls(ConfigNode n, Path base) {
    Path cert = existingFile(n, "certificate_file", base);
    Path key = existingFile(n, "private_key_file", base);
    Optional<Path> ca = n.has("client_ca_file") ? Optional.of(existingFile(n, "client_ca_file", base))
        : Optional.<Path>empty();
    String auth = n.optString("client_auth").orElse("required");
    ServerConfig.ClientAuth clientAuth;
    switch (auth) {
      case "required" -> clientAuth = ServerConfig.ClientAuth.REQUIRED;
      case "optional" -> clientAuth = ServerConfig.ClientAuth.OPTIONAL;
      case "none" -> clientAuth = ServerConfig.ClientAuth.NONE;
      default -> throw new ConfigException(n.key("client_auth"),
          "must be required, optional or none, got '" + auth + "'");
    }
    if (clientAuth != ServerConfig.ClientAuth.NONE && ca.isEmpty()) {
      throw new ConfigException(n.key("client_ca_file"), "is required when client_auth is " + auth);
    }
    long reload = n.longValue("reload_interval_seconds", 1, 86_400, 300);
    n.finish();
    return new ServerConfig.Tls(cert, key, ca, clientAuth, Duration.ofSeconds(reload));
  }

  private static Path existingFile(ConfigNode n, String name, Path base) {
    Path p = resolve(base, n.string(name));
    if (!Files.isReadable(p)) {
      throw new ConfigException(n.key(name), "file " + p + " is not readable");
    }
    return p;
  }

  private static Path resolve(Path base, String path) {
    Path p = Path.of(path);
    return p.isAbsolute() || base == null ? p : base.resolve(p);
  }

  private Map<String, AppConfig> apps(ConfigNode n, Path base) {
    Map<String, AppConfig> apps = new LinkedHashMap<>();
    for (String name : n.fieldNames()) {
      if (!APP_NAME.matcher(name).matches()) {
        throw new ConfigException(n.key(name),
            "app reference must be 1-63 characters of a-z 0-9 . _ - starting with a letter or digit");
      }
      ConfigNode app = n.child(name);
      apps.put(name, app(name, app, base));
      app.finish();
    }
    n.finish();
    if (apps.isEmpty()) {
      throw new ConfigException("apps", "configure at least one app");
    }
    return apps;
  }

  private AppConfig app(String name, ConfigNode n, Path base) {
    String vendor = n.string("vendor");
    switch (vendor) {
      // Ids and credentials are held to the token core's own rules (and the REST bridges' rules
      // for app keys they use), so whatever starts can also mint.
      case "agora" -> {
        String appId = n.string("app_id");
        coreRule(n.key("app_id"), () -> AgoraValidation.appId(appId));
        List<Secret> certs = credentials(n, "certificate", base, AgoraValidation::appCertificate);
        Optional<URI> rest = n.optString("chat_rest_base").map(s -> uri(n.key("chat_rest_base"), s));
        Optional<String> chatKey = n.optString("chat_app_key")
            .map(s -> bridgeRule(n.key("chat_app_key"), s, AgoraChatAppConfig::checkAppKey));
        return new AgoraApp(name, appId, certs, rest, chatKey);
      }
      case "zego" -> {
        long appId = n.optLong("app_id", Long.MIN_VALUE, Long.MAX_VALUE)
            .orElseThrow(() -> new ConfigException(n.key("app_id"), "is required"));
        coreRule(n.key("app_id"), () -> ZegoRules.checkAppId(appId));
        List<Secret> secrets = credentials(n, "server_secret", base, v -> ZegoRules.checkServerSecret(Secret.of(v)));
        return new ZegoApp(name, appId, secrets);
      }
      case "easemob" -> {
        String appKey = n.string("app_key");
        coreRule(n.key("app_key"), () -> EasemobRules.checkAppKey(appKey));
        String clientId = n.string("client_id");
        coreRule(n.key("client_id"), () -> EasemobRules.checkClientId(clientId));
        List<Secret> secrets = credentials(n, "client_secret", base, v -> {
          if (!NO_SPACES.matcher(v).matches()) {
            throw new IllegalArgumentException("must be non-empty without spaces");
          }
        });
        Optional<URI> rest = n.optString("rest_base").map(s -> uri(n.key("rest_base"), s));
        if (rest.isPresent()) {
          bridgeRule(n.key("app_key"), appKey, EasemobAppConfig::checkAppKey);
        }
        String unit = n.optString("rest_ttl_unit").orElse("seconds");
        TtlUnit ttlUnit = switch (unit) {
          case "seconds" -> TtlUnit.SECONDS;
          case "milliseconds" -> TtlUnit.MILLISECONDS;
          default -> throw new ConfigException(n.key("rest_ttl_unit"), "must be seconds or milliseconds");
        };
        return new EasemobApp(name, appKey, clientId, secrets, rest, ttlUnit);
      }
      default -> throw new ConfigException(n.key("vendor"),
          "must be agora, zego or easemob, got '" + vendor + "'");
    }
  }

  /** Runs a token-core check; its message names the rule, never a value. */
  private static void coreRule(String key, Runnable check) {
    try {
      check.run();
    } catch (InvalidTokenInputException e) {
      throw new ConfigException(key, rule(e));
    }
  }

  /** Runs a vendor bridge's check of a value it puts in REST paths. */
  private static String bridgeRule(String key, String value, java.util.function.Consumer<String> check) {
    try {
      check.accept(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "the REST bridge needs " + e.getMessage());
    }
    return value;
  }

  /** The rule of a core rejection, without its "field: " prefix (the config key replaces it). */
  private static String rule(InvalidTokenInputException e) {
    String m = e.getMessage();
    String prefix = e.field() + ": ";
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }

  /**
   * A vendor REST base URL, held to the bridges' own rule ({@link VendorUrls#checkBaseUrl}: https,
   * or http only to a loopback address) here, so a bad URL stops start-up instead of the first
   * bridged call. URLs hold no secret, so the message may show it.
   */
  private static URI uri(String key, String value) {
    URI u;
    try {
      u = new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigException(key, "is not a valid URL");
    }
    try {
      return VendorUrls.checkBaseUrl(u);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, e.getMessage());
    }
  }

  /**
   * {@code name} (required) and {@code secondary_name} (optional), each {env: VAR} or {file: PATH};
   * {@code check} throws InvalidTokenInputException (a core rule) or IllegalArgumentException.
   */
  private List<Secret> credentials(ConfigNode n, String name, Path base, java.util.function.Consumer<String> check) {
    List<Secret> out = new ArrayList<>();
    out.add(credential(n.child(name), "primary", base, check));
    n.optChild("secondary_" + name).ifPresent(c -> out.add(credential(c, "secondary", base, check)));
    return out;
  }

  private Secret credential(ConfigNode n, String label, Path base, java.util.function.Consumer<String> check) {
    Optional<String> var = n.optString("env");
    Optional<String> file = n.optString("file");
    n.finish();
    if (var.isPresent() == file.isPresent()) {
      throw new ConfigException(n.path(), "give exactly one of env or file");
    }
    String value;
    if (var.isPresent()) {
      value = env.apply(var.get());
      if (value == null || value.isEmpty()) {
        throw new ConfigException(n.key("env"), "environment variable " + var.get() + " is not set");
      }
    } else {
      Path p = resolve(base, file.get());
      try {
        value = Files.readString(p, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new ConfigException(n.key("file"), "cannot read " + p);
      }
    }
    // Say what is wrong with the value, never what the value is (no core or local rule echoes it).
    try {
      check.accept(value);
    } catch (InvalidTokenInputException e) {
      throw new ConfigException(n.path(), "the credential " + rule(e));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(n.path(), "the credential " + e.getMessage());
    }
    return new Secret(label, value);
  }

  private static Map<String, CallerPolicy> callers(List<ConfigNode> nodes, Map<String, AppConfig> apps) {
    Map<String, CallerPolicy> out = new LinkedHashMap<>();
    for (ConfigNode n : nodes) {
      CallerPolicy p = caller(n, apps);
      if (out.putIfAbsent(p.identity(), p) != null) {
        throw new ConfigException(n.key("identity"), "identity '" + p.identity() + "' is listed twice");
      }
    }
    return out;
  }

  private static CallerPolicy caller(ConfigNode n, Map<String, AppConfig> apps) {
    String identity = n.string("identity");
    Set<String> appRefs = new LinkedHashSet<>(n.optStrings("apps")
        .orElseThrow(() -> new ConfigException(n.key("apps"), "is required (use [\"*\"] for every app)")));
    for (String a : appRefs) {
      if (!a.equals(CallerPolicy.ANY) && !apps.containsKey(a)) {
        throw new ConfigException(n.key("apps"), "unknown app '" + a + "'");
      }
    }
    Set<String> rpcs = new LinkedHashSet<>(n.optStrings("rpcs")
        .orElseThrow(() -> new ConfigException(n.key("rpcs"), "is required (use [\"*\"] for every RPC)")));
    for (String r : rpcs) {
      if (!r.equals(CallerPolicy.ANY) && !RPC_NAMES.contains(r)) {
        throw new ConfigException(n.key("rpcs"), "unknown RPC '" + r + "'; known: " + RPC_NAMES);
      }
    }
    Set<TokenKind> kinds = EnumSet.allOf(TokenKind.class);
    Optional<List<String>> kindNames = n.optStrings("token_kinds");
    if (kindNames.isPresent()) {
      kinds = EnumSet.noneOf(TokenKind.class);
      for (String k : kindNames.get()) {
        kinds.add(TokenKind.byId(k).orElseThrow(() -> new ConfigException(n.key("token_kinds"),
            "unknown token kind '" + k + "'")));
      }
    }
    Set<RtcRoleRule> roles = EnumSet.allOf(RtcRoleRule.class);
    Optional<List<String>> roleNames = n.optStrings("rtc_roles");
    if (roleNames.isPresent()) {
      roles = EnumSet.noneOf(RtcRoleRule.class);
      for (String r : roleNames.get()) {
        roles.add(RtcRoleRule.byId(r.toLowerCase(Locale.ROOT)).orElseThrow(() -> new ConfigException(
            n.key("rtc_roles"), "unknown role '" + r + "' (publisher, subscriber, custom)")));
      }
    }
    long max = n.longValue("max_lifetime_seconds", 1, MAX_LIFETIME_SECONDS, 3600);
    long dflt = n.longValue("default_lifetime_seconds", 1, MAX_LIFETIME_SECONDS, Math.min(max, 3600));
    if (dflt > max) {
      throw new ConfigException(n.key("default_lifetime_seconds"),
          "must not exceed max_lifetime_seconds (" + max + ")");
    }
    Optional<Pattern> channel = n.optString("channel_pattern").map(s -> pattern(n.key("channel_pattern"), s));
    Optional<Pattern> user = n.optString("user_pattern").map(s -> pattern(n.key("user_pattern"), s));
    boolean register = n.optBoolean("may_register_users").orElse(false);
    CallerQuota quota = n.optChild("limits").map(ConfigLoader::quota).orElse(CallerQuota.DEFAULTS);
    n.finish();
    return new CallerPolicy(identity, appRefs, rpcs, kinds, roles, max, dflt, channel, user, register, quota);
  }

  private static Pattern pattern(String key, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new ConfigException(key, "is not a valid regular expression: " + e.getDescription());
    }
  }

  private static ServerConfig.Limits limits(Optional<ConfigNode> node) {
    ServerConfig.Limits dflt = defaultLimits();
    if (node.isEmpty()) {
      return dflt;
    }
    ConfigNode n = node.get();
    int threads = (int) n.longValue("handler_threads", 1, 1024, dflt.handlerThreads());
    int calls = (int) n.longValue("max_concurrent_calls", 1, 1_000_000, dflt.maxConcurrentCalls());
    int bytes = (int) n.longValue("max_request_bytes", 1024, 16 * 1024 * 1024, dflt.maxInboundMessageBytes());
    Duration requestTimeout = Duration.ofMillis(n.longValue("request_message_timeout_ms", 1, 600_000,
        dflt.requestMessageTimeout().toMillis()));
    CallerQuota perCaller = n.optChild("per_caller").map(ConfigLoader::quota).orElse(CallerQuota.DEFAULTS)
        .orElse(dflt.perCaller());
    ServerConfig.Http2 http2 = n.optChild("http2").map(ConfigLoader::http2).orElse(dflt.http2());
    n.finish();
    return new ServerConfig.Limits(threads, calls, bytes, requestTimeout, perCaller, http2);
  }

  /** A concurrency cap and a token-bucket rate (0 calls per second: no rate limit); unset values stay empty. */
  private static CallerQuota quota(ConfigNode n) {
    OptionalInt cap = n.optLong("max_concurrent_calls", 1, 1_000_000)
        .map(v -> OptionalInt.of(v.intValue())).orElse(OptionalInt.empty());
    Optional<Long> perSecond = n.optLong("calls_per_second", 0, 1_000_000);
    Optional<Long> burst = n.optLong("burst", 1, 10_000_000);
    if (burst.isPresent() && perSecond.isEmpty()) {
      throw new ConfigException(n.key("burst"), "needs calls_per_second");
    }
    Optional<Rate> rate = perSecond.map(r -> r == 0 ? Rate.UNLIMITED : new Rate(r, burst.orElse(r)));
    n.finish();
    return new CallerQuota(cap, rate);
  }

  private static ServerConfig.Http2 http2(ConfigNode n) {
    ServerConfig.Http2 d = ServerConfig.Http2.DEFAULTS;
    int streams = (int) n.longValue("max_concurrent_streams", 1, 1_000_000, d.maxConcurrentStreams());
    Duration keepAlive = Duration.ofSeconds(n.longValue("permit_keepalive_time_seconds", 0, 86_400,
        d.permitKeepAliveTime().toSeconds()));
    boolean withoutCalls = n.optBoolean("permit_keepalive_without_calls").orElse(d.permitKeepAliveWithoutCalls());
    Duration idle = Duration.ofSeconds(n.longValue("max_connection_idle_seconds", 1, 86_400 * 30,
        d.maxConnectionIdle().toSeconds()));
    Duration age = Duration.ofSeconds(n.longValue("max_connection_age_seconds", 1, 86_400 * 30,
        d.maxConnectionAge().toSeconds()));
    Duration grace = Duration.ofSeconds(n.longValue("max_connection_age_grace_seconds", 0, 86_400,
        d.maxConnectionAgeGrace().toSeconds()));
    n.finish();
    return new ServerConfig.Http2(streams, keepAlive, withoutCalls, idle, age, grace);
  }

  static ServerConfig.Limits defaultLimits() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new ServerConfig.Limits(Math.max(2, cores * 2), 256, 64 * 1024);
  }

  private static ServerConfig.Shutdown shutdown(Optional<ConfigNode> node) {
    if (node.isEmpty()) {
      return defaultShutdown();
    }
    ConfigNode n = node.get();
    long drain = n.longValue("drain_delay_seconds", 0, 300, 0);
    long grace = n.longValue("grace_seconds", 0, 3600, 20);
    n.finish();
    return new ServerConfig.Shutdown(Duration.ofSeconds(drain), Duration.ofSeconds(grace));
  }

  static ServerConfig.Shutdown defaultShutdown() {
    return new ServerConfig.Shutdown(Duration.ZERO, Duration.ofSeconds(20));
  }
}
