package dev.tokenauthority.bridge;

import dev.tokenauthority.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedPlumbingTest {

  @Test
  void backoffDoublesUpToTheCapWithJitterInTheUpperHalf() {
    RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(1000));
    Random r = new Random(1);
    for (int trial = 0; trial < 200; trial++) {
      for (int i = 0; i < 8; i++) {
        long ceiling = Math.min(1000, 100L << i);
        assertThat(p.backoff(i, Optional.empty(), r).toMillis()).isBetween(ceiling / 2, ceiling);
      }
    }
  }

  @Test
  void sharedWorkMayRunEveryAttemptAndEveryBackoffAtTheirCaps() {
    // 4 attempts of 10 s and 3 backoffs of at most 2 s (docs/vendor-errors.md, "Shared calls").
    assertThat(BridgeSettings.DEFAULT.sharedCallLimit()).isEqualTo(Duration.ofSeconds(46));
  }

  @Test
  void backoffIsJittered() {
    RetryPolicy p = RetryPolicy.DEFAULT;
    Random r = new Random(3);
    assertThat(java.util.stream.IntStream.range(0, 50)
        .mapToObj(i -> p.backoff(2, Optional.empty(), r)).distinct().count()).isGreaterThan(10);
  }

  @Test
  void retryAfterWinsWhenLonger() {
    RetryPolicy p = RetryPolicy.DEFAULT;
    assertThat(p.backoff(0, Optional.of(Duration.ofSeconds(5)), new Random(1))).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.backoff(3, Optional.of(Duration.ZERO), new Random(1))).isPositive();
  }

  @Test
  void retryAfterParsesSecondsAndHttpDates() {
    MutableClock clock = new MutableClock(Instant.parse("2015-10-21T07:28:00Z"));
    assertThat(VendorHttp.parseRetryAfter("7", clock)).contains(Duration.ofSeconds(7));
    assertThat(VendorHttp.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", clock)).contains(Duration.ofSeconds(30));
    assertThat(VendorHttp.parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", clock)).contains(Duration.ZERO);
    assertThat(VendorHttp.parseRetryAfter("-3", clock)).contains(Duration.ZERO);
    assertThat(VendorHttp.parseRetryAfter("soon", clock)).isEmpty();
  }

  @Test
  void cacheExpiresEntriesAndEvictsLeastRecentlyUsed() {
    MutableClock clock = new MutableClock(Instant.EPOCH);
    ExpiringLruCache<String, Integer> c = new ExpiringLruCache<>(2, Duration.ofSeconds(10), clock);
    c.put("a", 1);
    c.put("b", 2);
    assertThat(c.get("a")).contains(1); // a is now more recent than b
    c.put("c", 3);
    assertThat(c.get("b")).isEmpty();
    assertThat(c.get("a")).contains(1);
    clock.advance(Duration.ofSeconds(10));
    assertThat(c.get("a")).isEmpty();
    assertThat(c.size()).isEqualTo(1);
  }

  @Test
  void singleFlightSharesWorkAndForgetsItWhenDone() {
    SingleFlight<String, Integer> sf = new SingleFlight<>();
    AtomicInteger started = new AtomicInteger();
    CompletableFuture<Integer> work = new CompletableFuture<>();
    List<CompletableFuture<Integer>> joined = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      joined.add(sf.run("k", () -> {
        started.incrementAndGet();
        return work;
      }));
    }
    assertThat(started).hasValue(1);
    joined.get(0).cancel(true); // one caller giving up does not fail the others
    work.complete(42);
    assertThat(joined.subList(1, 10)).allSatisfy(f -> assertThat(f.join()).isEqualTo(42));
    assertThat(sf.inFlightCount()).isZero();

    CompletableFuture<Integer> failed = sf.run("k", () -> {
      started.incrementAndGet();
      return CompletableFuture.failedFuture(new IllegalStateException("x"));
    });
    assertThat(failed).isCompletedExceptionally();
    assertThat(sf.run("k", () -> CompletableFuture.completedFuture(started.incrementAndGet())).join()).isEqualTo(3);
  }

  @Test
  void baseUrlsMustBeHttpsExceptOnLoopback() {
    assertThat(VendorUrls.checkBaseUrl(URI.create("https://a41.chat.agora.io/"))).hasToString("https://a41.chat.agora.io");
    assertThat(VendorUrls.checkBaseUrl(URI.create("http://127.0.0.1:8080"))).hasToString("http://127.0.0.1:8080");
    assertThat(VendorUrls.checkBaseUrl(URI.create("http://localhost:1"))).hasToString("http://localhost:1");
    assertThatThrownBy(() -> VendorUrls.checkBaseUrl(URI.create("http://a1.easemob.com")))
        .hasMessageContaining("https");
    assertThatThrownBy(() -> VendorUrls.checkBaseUrl(URI.create("a1.easemob.com"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VendorUrls.checkBaseUrl(URI.create("https://h/x?y=1"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(VendorUrls.resolve(URI.create("https://h/p"), "org", "a b", "users"))
        .hasToString("https://h/p/org/a%20b/users");
  }

  @Test
  void userNamesFoldCaseAndKeepToTheVendorCharset() {
    assertThat(UserNames.canonical(Vendor.EASEMOB, "Ab_c-1.x")).isEqualTo("ab_c-1.x");
    assertThatThrownBy(() -> UserNames.canonical(Vendor.AGORA_CHAT, "a@b"))
        .isInstanceOfSatisfying(VendorCallException.class,
            e -> assertThat(e.reason()).isEqualTo(VendorReason.CHAT_USER_NAME_INVALID));
  }

  @Test
  void theVendorCallLogWritesSuccessesAtInfo() {
    VendorCallListener.logging().onAttempt(new VendorCallEvent(
        Vendor.EASEMOB, "easemob.app_token", 1, 200, "OK", Duration.ofMillis(4321)));

    assertThat(dev.tokenauthority.server.testing.LogCapture.lines()).anyMatch(l ->
        l.contains(" INFO dev.tokenauthority.bridge.audit: vendor_call vendor=easemob op=easemob.app_token")
            && l.contains("outcome=OK elapsed_ms=4321"));
  }

  @Test
  void everyReasonHasACategoryAndDocumentation() throws Exception {
    String doc = java.nio.file.Files.readString(
        java.nio.file.Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("vendor-errors.md"));
    for (VendorReason r : VendorReason.values()) {
      assertThat(r.category()).isNotNull();
      assertThat(doc).as("docs/vendor-errors.md mentions " + r).contains("`" + r.name() + "`");
    }
  }
}
