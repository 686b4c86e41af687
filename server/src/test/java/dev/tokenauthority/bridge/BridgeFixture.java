package dev.tokenauthority.bridge;

import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Wiring shared by bridge tests: fake vendor, hand-moved clock, recorded backoff and audit events. */
public final class BridgeFixture implements AutoCloseable {
  public final FakeVendor vendor;
  public final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  public final RecordingDelayer delayer = new RecordingDelayer();
  public final List<VendorCallEvent> events = new CopyOnWriteArrayList<>();
  public final VendorHttp http;

  public BridgeFixture(String org, String app) throws Exception {
    this(org, app, BridgeSettings.DEFAULT);
  }

  public BridgeFixture(String org, String app, BridgeSettings settings) throws Exception {
    vendor = new FakeVendor(org, app);
    // Passwords and client secrets the bridges send are searched for in the suite's log lines.
    vendor.onSecret = LogCapture::registerSecret;
    http = new VendorHttp(VendorHttp.newHttpClient(settings), settings, clock, new Random(7),
        delayer, events::add);
  }

  /** A deadline this far from the (hand-moved) clock; real timeouts use the same distance. */
  public Instant deadlineIn(Duration d) {
    return clock.instant().plus(d);
  }

  public Instant roomyDeadline() {
    return deadlineIn(Duration.ofSeconds(20));
  }

  /** Waits (up to 10 s) until the vendor has received {@code n} calls of {@code operation}. */
  public void awaitCalls(String operation, int n) throws InterruptedException {
    for (int i = 0; i < 1000 && vendor.count(operation) < n; i++) {
      Thread.sleep(10);
    }
    if (vendor.count(operation) < n) {
      throw new AssertionError(operation + " was not called " + n + " times");
    }
  }

  /** The future's VendorCallException; fails the test if it succeeded or hangs. */
  public static VendorCallException failure(CompletableFuture<?> f) throws Exception {
    try {
      Object v = f.get(15, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + v);
    } catch (ExecutionException e) {
      VendorCallException v = VendorCallException.unwrap(e);
      if (v == null) {
        throw new AssertionError("expected a VendorCallException", e);
      }
      return v;
    } catch (TimeoutException e) {
      throw new AssertionError("future did not complete");
    }
  }

  public static <T> T value(CompletableFuture<T> f) throws Exception {
    return f.get(15, TimeUnit.SECONDS);
  }

  /**
   * Threads (outside the fake vendor) parked or blocked inside bridge code. A completion callback
   * may be running bridge code for a moment, so this polls briefly until none is left.
   */
  public static List<String> threadsInBridgeCode() throws InterruptedException {
    List<String> found = List.of();
    for (int i = 0; i < 40; i++) {
      found = Thread.getAllStackTraces().entrySet().stream()
          .filter(e -> e.getKey() != Thread.currentThread())
          .filter(e -> !e.getKey().getName().startsWith("fake-vendor"))
          .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f ->
              f.getClassName().startsWith("dev.tokenauthority.bridge")
                  && !f.getClassName().contains("Test") && !f.getClassName().contains("Fake")
                  && !f.getClassName().contains("BridgeFixture")))
          .map(e -> e.getKey().getName() + " " + e.getKey().getState())
          .toList();
      if (found.isEmpty()) {
        return found;
      }
      Thread.sleep(50);
    }
    return found;
  }

  @Override
  public void close() {
    vendor.close();
  }
}
