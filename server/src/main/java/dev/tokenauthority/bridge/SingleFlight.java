package dev.tokenauthority.bridge;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Concurrent requests for one key share one piece of work: the first caller starts it, the others
 * join it until it completes. Each caller gets its own copy of the result future, so one caller
 * cancelling or timing out does not fail the others.
 */
public final class SingleFlight<K, V> {
  private final Map<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

  public CompletableFuture<V> run(K key, Supplier<CompletableFuture<V>> work) {
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> existing = inFlight.putIfAbsent(key, mine);
    if (existing != null) {
      return existing.copy();
    }
    CompletableFuture<V> started;
    try {
      started = work.get();
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    started.whenComplete((v, e) -> {
      // Leave the map first: a caller arriving after completion must not join a finished flight
      // (the work itself fills any cache before it completes).
      inFlight.remove(key, mine);
      if (e != null) {
        mine.completeExceptionally(e);
      } else {
        mine.complete(v);
      }
    });
    return mine.copy();
  }

  /** Keys with work in progress (for tests and metrics). */
  public int inFlightCount() {
    return inFlight.size();
  }
}
