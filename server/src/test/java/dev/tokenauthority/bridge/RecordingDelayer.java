package dev.tokenauthority.bridge;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records each backoff asked for and returns at once, so retry tests need no real waiting. */
public final class RecordingDelayer implements Delayer {
  public final List<Duration> delays = new CopyOnWriteArrayList<>();

  @Override
  public CompletableFuture<Void> delay(Duration delay) {
    delays.add(delay);
    return CompletableFuture.completedFuture(null);
  }
}
