package dev.tokenauthority.server.observability;

import io.opentelemetry.api.common.Attributes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The label sets of the per-call instruments, built once per distinct key instead of per call:
 * {@code Attributes.of} sorts and copies its pairs every time, and a fresh set must also be
 * hashed again by the SDK's series lookup. Keys are already bounded label values ({@link
 * LabelValues}); the map is emptied if a long-running server with reloaded configurations ever
 * collects more than {@value #MAX_SETS}, so it stays bounded too.
 */
final class AttributeSets<K> {
  private static final int MAX_SETS = 4096;

  private final ConcurrentHashMap<K, Attributes> sets = new ConcurrentHashMap<>();
  private final Function<K, Attributes> build;

  AttributeSets(Function<K, Attributes> build) {
    this.build = build;
  }

  Attributes of(K key) {
    Attributes a = sets.get(key);
    if (a == null) {
      if (sets.size() >= MAX_SETS) {
        sets.clear();
      }
      a = sets.computeIfAbsent(key, build);
    }
    return a;
  }

  int size() {
    return sets.size();
  }
}
