package dev.tokenauthority.bridge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A small bounded cache: at most {@code maxEntries}, least recently used evicted first, each entry
 * dropped {@code ttl} after it was written. One lock; every operation is O(1) and short, which is
 * ample for a cache in front of a REST call.
 */
public final class ExpiringLruCache<K, V> {
  private record Entry<V>(V value, Instant expiresAt) {}

  private final int maxEntries;
  private final Duration ttl;
  private final Clock clock;
  private final LinkedHashMap<K, Entry<V>> map;
  private long hits;
  private long misses;

  public ExpiringLruCache(int maxEntries, Duration ttl, Clock clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    this.maxEntries = maxEntries;
    this.ttl = ttl;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.map = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
        return size() > ExpiringLruCache.this.maxEntries;
      }
    };
  }

  public synchronized Optional<V> get(K key) {
    Entry<V> e = map.get(key);
    if (e == null) {
      misses++;
      return Optional.empty();
    }
    if (!clock.instant().isBefore(e.expiresAt())) {
      map.remove(key);
      misses++;
      return Optional.empty();
    }
    hits++;
    return Optional.of(e.value());
  }

  /** Lookups answered from the cache, for metrics. */
  public synchronized long hits() {
    return hits;
  }

  /** Lookups not in the cache (absent or expired), for metrics. */
  public synchronized long misses() {
    return misses;
  }

  public synchronized void put(K key, V value) {
    map.put(key, new Entry<>(value, clock.instant().plus(ttl)));
  }

  public synchronized void invalidate(K key) {
    map.remove(key);
  }

  public synchronized int size() {
    return map.size();
  }
}
