package dev.tokenauthority.bridge;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Waits without holding a thread: the future completes after the delay. Injected so tests can
 * record backoff delays and skip them.
 */
@FunctionalInterface
public interface Delayer {
  CompletableFuture<Void> delay(Duration delay);

  /** Real delays on the JDK's shared delay scheduler; no thread sleeps. */
  static Delayer system() {
    return delay ->
        CompletableFuture.runAsync(
            () -> {}, CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
  }
}
