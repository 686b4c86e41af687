package dev.tokenauthority.server.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the configuration file (and the credential files and variables it names) and swaps the
 * new snapshot into the {@link ConfigHolder} when anything changed, so apps, credential rotations,
 * caller policies, renewal grace and shutdown timings change without a restart. Calls in progress
 * keep the snapshot they started with.
 *
 * <p>A file that does not load is refused as a whole (the log names the key, a duplicate key
 * included) and the running snapshot stays. So is a file that loads but would remove every caller
 * or every app (a file cut off part-way often still parses). A change is applied only once two
 * consecutive polls read the same content, so a file (or credential file) caught half-written is
 * never applied, even when the half parses. Listen addresses, TLS settings and limits shape the running listener and pool, so
 * their new values wait for a restart (logged as such); the TLS files themselves are re-read by the
 * TLS layer on its own schedule.
 *
 * <p>Polling rather than file-system events: Kubernetes updates mounted ConfigMaps and Secrets by
 * swapping a symlink, which inotify-based watches on the file miss.
 */
public final class ConfigReloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

  /** What one reload attempt did. */
  public enum Outcome {
    UNCHANGED,
    /** A change was read; it is applied if the next poll reads the same. */
    PENDING,
    APPLIED,
    REFUSED
  }

  private final String source;
  private final Supplier<ServerConfig> loader;
  private final ConfigHolder holder;
  private ServerConfig lastLoaded;
  private String lastDigest;
  private String lastRefusal;
  /** The digest of a change read once and not applied yet. */
  private String pendingDigest;
  private ScheduledFuture<?> polling;
  private volatile java.util.function.Consumer<Outcome> onOutcome = o -> {};

  /**
   * @param source the file's name, for log lines
   * @param loader loads the file as start-up did (it throws {@link ConfigException} naming the key)
   * @param loaded what start-up loaded, before command-line overrides
   */
  public ConfigReloader(String source, Supplier<ServerConfig> loader, ConfigHolder holder, ServerConfig loaded) {
    this.source = Objects.requireNonNull(source);
    this.loader = Objects.requireNonNull(loader);
    this.holder = Objects.requireNonNull(holder);
    this.lastLoaded = Objects.requireNonNull(loaded);
    this.lastDigest = digest(loaded);
  }

  /** Told of every reload attempt's outcome (metrics count applied and refused reloads). */
  public ConfigReloader onOutcome(java.util.function.Consumer<Outcome> listener) {
    this.onOutcome = Objects.requireNonNull(listener);
    return this;
  }

  /** Polls every {@code interval} on {@code scheduler} until {@link #close()}. */
  public synchronized ConfigReloader pollEvery(Duration interval, ScheduledExecutorService scheduler) {
    if (polling == null) {
      long ms = interval.toMillis();
      polling = scheduler.scheduleWithFixedDelay(this::reloadQuietly, ms, ms, TimeUnit.MILLISECONDS);
      LOG.info("configuration reload: checking " + source + " every " + interval.toSeconds() + " s");
    }
    return this;
  }

  private void reloadQuietly() {
    try {
      onOutcome.accept(reloadNow());
    } catch (RuntimeException e) {
      // Keep polling: a bug here must not end reloads for the life of the process.
      LOG.error("configuration reload failed unexpectedly; still serving the previous configuration", e);
    }
  }

  /**
   * One poll: loads the file and swaps the snapshot in if it differs from the last one applied and
   * the previous poll read the same content.
   */
  public synchronized Outcome reloadNow() {
    ServerConfig loaded;
    try {
      loaded = loader.get();
    } catch (ConfigException e) {
      // ConfigException messages name keys and rules, never values.
      return refuse(e.getMessage());
    }
    String digest = digest(loaded);
    if (digest.equals(lastDigest)) {
      lastRefusal = null;
      pendingDigest = null;
      return Outcome.UNCHANGED;
    }
    ServerConfig running = holder.get();
    if (loaded.callers().isEmpty() && !running.callers().isEmpty()) {
      return refuse("it lists no callers, which would deny every call; is the file complete?");
    }
    if (loaded.apps().isEmpty() && !running.apps().isEmpty()) {
      return refuse("it lists no apps; is the file complete?");
    }
    lastRefusal = null;
    if (!digest.equals(pendingDigest)) {
      pendingDigest = digest; // maybe still being written: apply only what the next poll confirms
      return Outcome.PENDING;
    }
    pendingDigest = null;
    List<String> restartOnly = restartOnlyChanges(lastLoaded, loaded);
    ServerConfig next = new ServerConfig(running.listen(), running.tls(), loaded.apps(), loaded.callers(),
        loaded.renewalGrace(), running.limits(), loaded.shutdown(), false, running.healthListen(),
        loaded.maxClockSkew(), running.observability());
    holder.replace(next);
    LOG.info("configuration reloaded from " + source + ": " + summary(running, next));
    if (!restartOnly.isEmpty()) {
      LOG.warn("configuration reload: " + String.join(", ", restartOnly)
          + " changed in " + source + " and take effect only after a restart; the running values stay");
    }
    lastLoaded = loaded;
    lastDigest = digest;
    return Outcome.APPLIED;
  }

  /** Keeps the running snapshot; says so once per mistake, not on every poll while the file stays broken. */
  private Outcome refuse(String why) {
    pendingDigest = null;
    if (!why.equals(lastRefusal)) {
      LOG.warn("configuration reload refused (" + source + "): " + why
          + "; still serving the last good configuration");
      lastRefusal = why;
    }
    return Outcome.REFUSED;
  }

  @Override
  public synchronized void close() {
    if (polling != null) {
      polling.cancel(false);
    }
  }

  /** Keys whose new values need a new listener or pool. Compared file to file: overrides do not count. */
  private static List<String> restartOnlyChanges(ServerConfig before, ServerConfig after) {
    List<String> keys = new ArrayList<>();
    if (!before.listen().equals(after.listen())) {
      keys.add("listen");
    }
    if (!before.tls().equals(after.tls())) {
      keys.add("tls");
    }
    if (!before.healthListen().equals(after.healthListen())) {
      keys.add("health_listen");
    }
    if (!before.limits().equals(after.limits())) {
      keys.add("limits");
    }
    if (!before.observability().equals(after.observability())) {
      keys.add("logging/audit/metrics/tracing");
    }
    return keys;
  }

  /** Names only: which apps and callers came, went or changed. Never a credential. */
  private static String summary(ServerConfig before, ServerConfig after) {
    return "apps " + changes(before.apps(), after.apps(), a -> digestApp(a)) + "; callers "
        + changes(before.callers(), after.callers(), p -> p.toString()) + "; renewal grace "
        + after.renewalGrace().toSeconds() + " s";
  }

  private static <T> String changes(Map<String, T> before, Map<String, T> after,
      java.util.function.Function<T, String> content) {
    Set<String> added = new TreeSet<>(after.keySet());
    added.removeAll(before.keySet());
    Set<String> removed = new TreeSet<>(before.keySet());
    removed.removeAll(after.keySet());
    Set<String> changed = new TreeSet<>();
    for (String name : after.keySet()) {
      if (before.containsKey(name) && !content.apply(before.get(name)).equals(content.apply(after.get(name)))) {
        changed.add(name);
      }
    }
    return after.size() + " (added " + added + ", removed " + removed + ", changed " + changed + ")";
  }

  /**
   * A one-way digest of everything a reload can change. Credentials enter it only hashed, and the
   * digest itself is never logged. Caller policies compare by their description (patterns by
   * their source text), since {@link java.util.regex.Pattern} has no value equality.
   */
  static String digest(ServerConfig c) {
    StringBuilder sb = new StringBuilder();
    sb.append(c.listen()).append('|').append(c.tls()).append('|').append(c.healthListen()).append('|')
        .append(c.limits()).append('|').append(c.observability()).append('|').append(c.shutdown()).append('|')
        .append(c.renewalGrace()).append('|');
    sb.append(c.maxClockSkew()).append('|');
    c.apps().values().stream().sorted(Comparator.comparing(AppConfig::name))
        .forEach(a -> sb.append(digestApp(a)).append('|'));
    c.callers().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> sb.append(e.getKey()).append('=').append(e.getValue()).append('|'));
    return sha256(sb.toString());
  }

  private static String digestApp(AppConfig a) {
    StringBuilder sb = new StringBuilder(a.toString()); // records; Secret prints no value
    a.credentials().forEach(s -> sb.append('/').append(sha256(s.reveal())));
    return sha256(sb.toString());
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }
}
