package dev.tokenauthority.server.limits;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls in progress per caller identity, so one caller at its cap cannot take the permits every
 * other caller needs. Entries disappear when a caller has nothing in progress, so the map holds
 * only callers with calls running.
 */
public final class CallerConcurrency {
  private final ConcurrentHashMap<String, Integer> inProgress = new ConcurrentHashMap<>();

  /** Counts one more call for {@code caller} unless it already has {@code cap} in progress. */
  public boolean tryAcquire(String caller, int cap) {
    boolean[] acquired = {false};
    inProgress.compute(caller, (k, n) -> {
      int now = n == null ? 0 : n;
      if (now >= cap) {
        return n;
      }
      acquired[0] = true;
      return now + 1;
    });
    return acquired[0];
  }

  /** Gives back one call taken by {@link #tryAcquire}. */
  public void release(String caller) {
    inProgress.computeIfPresent(caller, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** Calls in progress for {@code caller} (tests and diagnostics). */
  public int inProgress(String caller) {
    return inProgress.getOrDefault(caller, 0);
  }
}
