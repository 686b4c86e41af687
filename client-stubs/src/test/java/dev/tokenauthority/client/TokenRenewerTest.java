package dev.tokenauthority.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.IssuedToken;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class TokenRenewerTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  private final FakeTime time = new FakeTime(T0);
  private final RecordingListener listener = new RecordingListener();
  private final List<Instant> renewCalls = new ArrayList<>();
  private final List<IssuedToken> renewedFrom = new ArrayList<>();
  private final AtomicInteger serial = new AtomicInteger();

  /** A token issued now by the fake authority, valid for {@code lifetime}. */
  private IssuedToken tokenValidFor(Duration lifetime) {
    Instant now = time.instant();
    return IssuedToken.newBuilder()
        .setToken("token-" + serial.incrementAndGet())
        .setApp("demo")
        .setIssuedAt(ts(now))
        .setExpiresAt(ts(now.plus(lifetime)))
        .setEarliestExpiry(ts(now.plus(lifetime)))
        .build();
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  private TokenRenewer.RenewFunction renewingFor(Duration lifetime) {
    return current -> {
      renewCalls.add(time.instant());
      renewedFrom.add(current);
      return tokenValidFor(lifetime);
    };
  }

  private TokenRenewer.Builder base(RandomGenerator random) {
    return TokenRenewer.builder()
        .clock(time)
        .scheduler(time)
        .random(random)
        .listener(listener)
        .leadTime(Duration.ofSeconds(30))
        .maxJitter(Duration.ofSeconds(10))
        .backoff(Duration.ofSeconds(1), Duration.ofSeconds(5));
  }

  @Test
  void renewsLeadTimeBeforeExpiryAndHandsTheNewTokenToTheListener() {
    IssuedToken initial = tokenValidFor(HOUR);
    TokenRenewer renewer = base(fixed(0.0)).initialToken(initial).renewFunction(renewingFor(HOUR)).build().start();

    time.advance(HOUR.minusSeconds(30).minusMillis(1));
    assertThat(renewCalls).isEmpty();
    time.advance(Duration.ofMillis(1));

    assertThat(renewCalls).containsExactly(T0.plus(HOUR).minusSeconds(30));
    assertThat(renewedFrom).containsExactly(initial);
    assertThat(listener.renewed).hasSize(1);
    assertThat(renewer.currentToken()).isEqualTo(listener.renewed.get(0)).isNotEqualTo(initial);

    // The next renewal is scheduled from the new token's expiry, and it renews the new token.
    time.advance(HOUR);
    assertThat(renewCalls).hasSize(2);
    assertThat(renewCalls.get(1)).isEqualTo(renewCalls.get(0).plus(HOUR).minusSeconds(30));
    assertThat(renewedFrom.get(1)).isEqualTo(listener.renewed.get(0));
    assertThat(listener.failures).isEmpty();
    assertThat(listener.expired).isEmpty();
  }

  @Test
  void usesEarliestPrivilegeExpiryNotTokenExpiry() {
    IssuedToken initial = tokenValidFor(HOUR).toBuilder().setEarliestExpiry(ts(T0.plusSeconds(600))).build();
    base(fixed(0.0)).initialToken(initial).renewFunction(renewingFor(HOUR)).build().start();

    time.advance(Duration.ofSeconds(600));

    assertThat(renewCalls).containsExactly(T0.plusSeconds(570));
  }

  @Test
  void jitterMovesRenewalEarlierByAtMostMaxJitter() {
    // Exact placement for controlled random values: expiry - lead - u * maxJitter.
    for (double u : new double[] {0.0, 0.25, 0.5, 0.999}) {
      FakeTime t = new FakeTime(T0);
      List<Instant> calls = new ArrayList<>();
      IssuedToken initial = IssuedToken.newBuilder().setToken("x").setExpiresAt(ts(T0.plus(HOUR))).build();
      TokenRenewer.builder().clock(t).scheduler(t).random(fixed(u)).listener(token -> {})
          .leadTime(Duration.ofSeconds(30)).maxJitter(Duration.ofSeconds(10))
          .initialToken(initial)
          .renewFunction(c -> {
            calls.add(t.instant());
            return IssuedToken.newBuilder().setToken("y").setExpiresAt(ts(t.instant().plus(HOUR))).build();
          })
          .build().start();
      t.advance(HOUR.minusSeconds(20));
      long jitterNanos = (long) (u * Duration.ofSeconds(10).toNanos());
      assertThat(calls).as("u=%s", u).containsExactly(T0.plus(HOUR).minusSeconds(30).minusNanos(jitterNanos));
    }
    // Bounds with a real generator over many seeds.
    for (long seed = 0; seed < 200; seed++) {
      FakeTime t = new FakeTime(T0);
      List<Instant> calls = new ArrayList<>();
      IssuedToken initial = IssuedToken.newBuilder().setToken("x").setExpiresAt(ts(T0.plus(HOUR))).build();
      TokenRenewer.builder().clock(t).scheduler(t).random(new SplittableRandom(seed)).listener(token -> {})
          .leadTime(Duration.ofSeconds(30)).maxJitter(Duration.ofSeconds(10))
          .initialToken(initial)
          .renewFunction(c -> {
            calls.add(t.instant());
            return IssuedToken.newBuilder().setToken("y").setExpiresAt(ts(t.instant().plus(HOUR))).build();
          })
          .build().start();
      t.advance(HOUR.minusSeconds(30));
      assertThat(calls).hasSize(1);
      assertThat(calls.get(0)).isBetween(T0.plus(HOUR).minusSeconds(40), T0.plus(HOUR).minusSeconds(30));
    }
  }

  @Test
  void tokenShorterThanLeadTimeIsRenewedAtHalfLifeNotInALoop() {
    // 20 s token, 30 s lead: lead capped at 10 s, jitter at (20 - 10) / 2 = 5 s.
    base(fixed(0.999)).initialToken(tokenValidFor(Duration.ofSeconds(20)))
        .renewFunction(renewingFor(Duration.ofSeconds(20))).build().start();

    time.runDue();
    assertThat(renewCalls).isEmpty();
    time.advance(Duration.ofSeconds(60));

    assertThat(renewCalls).isNotEmpty();
    assertThat(renewCalls.get(0)).isBetween(T0.plusSeconds(5), T0.plusSeconds(10));
    for (int i = 1; i < renewCalls.size(); i++) {
      assertThat(Duration.between(renewCalls.get(i - 1), renewCalls.get(i))).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    }
    assertThat(listener.expired).isEmpty();
  }

  @Test
  void backsOffExponentiallyWithCapThenRecovers() {
    IssuedToken initial = tokenValidFor(HOUR);
    AtomicInteger attempts = new AtomicInteger();
    // u = 0.5: renewal 5 s of jitter early; each retry waits 3/4 of its cap (equal jitter).
    base(fixed(0.5)).initialToken(initial)
        .renewFunction(current -> {
          renewCalls.add(time.instant());
          if (attempts.incrementAndGet() <= 5) {
            throw Status.UNAVAILABLE.withDescription("down").asRuntimeException();
          }
          return tokenValidFor(HOUR);
        })
        .build().start();

    time.advance(HOUR.minusSeconds(1));

    Instant first = T0.plus(HOUR).minusSeconds(35);
    // Caps 1, 2, 4, 5 (max), 5 s; three quarters of each: 0.75, 1.5, 3, 3.75, 3.75 s.
    assertThat(renewCalls).containsExactly(first, first.plusMillis(750), first.plusMillis(2250),
        first.plusMillis(5250), first.plusMillis(9000), first.plusMillis(12750));
    assertThat(listener.failures).extracting(f -> f.consecutive).containsExactly(1, 2, 3, 4, 5);
    assertThat(listener.failures).extracting(f -> f.retryIn).containsExactly(Duration.ofMillis(750),
        Duration.ofMillis(1500), Duration.ofMillis(3000), Duration.ofMillis(3750), Duration.ofMillis(3750));
    assertThat(listener.failures.get(0).error).hasMessageContaining("UNAVAILABLE");
    assertThat(listener.renewed).hasSize(1);
    assertThat(listener.expired).isEmpty();

    // After the success the failure count starts over.
    attempts.set(100);
    time.advance(HOUR);
    assertThat(listener.failures).hasSize(5);
  }

  @Test
  void retryBackoffIsJitteredBetweenHalfAndAllOfItsCap() {
    // Many renewers (a fleet) failing together: each retry lies in [cap/2, cap], and they spread.
    List<Duration> firstRetries = new ArrayList<>();
    for (long seed = 0; seed < 100; seed++) {
      FakeTime t = new FakeTime(T0);
      List<Duration> retries = new ArrayList<>();
      TokenRenewer.builder().clock(t).scheduler(t).random(new SplittableRandom(seed))
          .leadTime(Duration.ofSeconds(30)).maxJitter(Duration.ZERO)
          .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
          .listener(new TokenRenewer.Listener() {
            @Override
            public void onTokenRenewed(IssuedToken token) {}

            @Override
            public void onRenewalFailed(Throwable error, int consecutiveFailures, Duration retryIn) {
              retries.add(retryIn);
            }
          })
          .initialToken(IssuedToken.newBuilder().setToken("x").setExpiresAt(ts(T0.plus(HOUR))).build())
          .renewFunction(c -> {
            throw Status.UNAVAILABLE.asRuntimeException();
          })
          .build().start();
      t.advance(HOUR.minusSeconds(30).plusSeconds(25));
      assertThat(retries).hasSizeGreaterThanOrEqualTo(5);
      for (int i = 0; i < 5; i++) {
        Duration cap = Duration.ofSeconds(Math.min(8, 1L << i));
        assertThat(retries.get(i)).as("seed %d, retry %d", seed, i + 1).isBetween(cap.dividedBy(2), cap);
      }
      firstRetries.add(retries.get(0));
    }
    assertThat(firstRetries.stream().distinct().count()).as("distinct first retry delays").isGreaterThan(50);
  }

  @Test
  void aPermanentRefusalStopsRetryingAndIsReportedOnce() {
    for (Status status : List.of(Status.PERMISSION_DENIED, Status.INVALID_ARGUMENT,
        Status.FAILED_PRECONDITION, Status.NOT_FOUND, Status.UNIMPLEMENTED)) {
      FakeTime t = new FakeTime(T0);
      RecordingListener heard = new RecordingListener();
      AtomicInteger attempts = new AtomicInteger();
      IssuedToken initial = IssuedToken.newBuilder().setToken("x").setExpiresAt(ts(T0.plus(HOUR))).build();
      TokenRenewer.builder().clock(t).scheduler(t).random(fixed(0.0)).listener(heard)
          .initialToken(initial)
          .renewFunction(c -> {
            attempts.incrementAndGet();
            throw status.withDescription("refused").asRuntimeException();
          })
          .build().start();

      t.advance(HOUR.multipliedBy(5));

      assertThat(attempts).as("%s", status.getCode()).hasValue(1);
      assertThat(heard.stopped).as("%s", status.getCode()).hasSize(1);
      assertThat(heard.stopped.get(0)).hasMessageContaining(status.getCode().name());
      assertThat(heard.failures).isEmpty();
      // The expiry watch stays: the application still learns that the SDK lost access.
      assertThat(heard.expired).containsExactly(initial);
      assertThat(t.activeTasks()).isZero();
    }
  }

  @Test
  void tokenExpiredPastGraceWithoutAnIssueFunctionStopsAfterTheTransientFailures() {
    // The server is down until after the token expired; then it refuses the renewal for good.
    IssuedToken initial = tokenValidFor(Duration.ofMinutes(10));
    AtomicInteger attempts = new AtomicInteger();
    TokenRenewer renewer = base(fixed(0.0)).initialToken(initial)
        .renewFunction(current -> {
          attempts.incrementAndGet();
          if (time.instant().isBefore(T0.plus(Duration.ofMinutes(11)))) {
            throw Status.UNAVAILABLE.asRuntimeException();
          }
          throw Status.FAILED_PRECONDITION.withDescription("TOKEN_EXPIRED").asRuntimeException();
        })
        .build().start();

    time.advance(Duration.ofMinutes(12));
    int afterStop = attempts.get();
    time.advance(Duration.ofHours(10));

    assertThat(attempts).hasValue(afterStop);
    assertThat(listener.failures).isNotEmpty()
        .allSatisfy(f -> assertThat(f.error).hasMessageContaining("UNAVAILABLE"));
    assertThat(listener.stopped).hasSize(1);
    assertThat(listener.stopped.get(0)).hasMessageContaining("TOKEN_EXPIRED");
    assertThat(listener.expired).containsExactly(initial);

    // renewNow tries again (e.g. after the operator raised the grace).
    renewer.renewNow();
    time.runDue();
    assertThat(attempts).hasValue(afterStop + 1);
    assertThat(listener.stopped).hasSize(2);
  }

  @Test
  void transientCodesAreRetried() {
    for (Status status : List.of(Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED, Status.UNAUTHENTICATED,
        Status.RESOURCE_EXHAUSTED, Status.INTERNAL)) {
      assertThat(TokenRenewer.isPermanent(status.asRuntimeException())).as("%s", status.getCode()).isFalse();
      assertThat(TokenRenewer.isPermanent(status.asException())).as("%s", status.getCode()).isFalse();
    }
    assertThat(TokenRenewer.isPermanent(new IllegalStateException("x"))).isFalse();
    assertThat(TokenRenewer.isPermanent(Status.PERMISSION_DENIED.asException())).isTrue();
    assertThat(TokenRenewer.isPermanent(new RuntimeException(Status.INVALID_ARGUMENT.asRuntimeException()))).isTrue();
  }

  @Test
  void aPermanentRenewalRefusalIssuesAfreshWhenItCan() {
    AtomicInteger issues = new AtomicInteger();
    AtomicInteger renewals = new AtomicInteger();
    TokenRenewer renewer = base(fixed(0.0)).initialToken(tokenValidFor(HOUR))
        .issueFunction(() -> {
          issues.incrementAndGet();
          return tokenValidFor(HOUR);
        })
        .renewFunction(current -> {
          if (renewals.incrementAndGet() == 1) {
            throw Status.FAILED_PRECONDITION.withDescription("PRIVILEGE_EXPIRED").asRuntimeException();
          }
          return tokenValidFor(HOUR);
        })
        .build().start();

    time.advance(HOUR.minusSeconds(25));

    assertThat(renewals).hasValue(1);
    assertThat(issues).hasValue(1);
    assertThat(listener.failures).hasSize(1);
    assertThat(listener.stopped).isEmpty();
    assertThat(listener.renewed).hasSize(1);
    // The next token is renewed again, not issued.
    time.advance(HOUR);
    assertThat(renewals).hasValue(2);
    assertThat(issues).hasValue(1);
    assertThat(renewer.currentToken()).isEqualTo(listener.renewed.get(1));
  }

  @Test
  void aPermanentlyRefusedIssueStops() {
    AtomicInteger issues = new AtomicInteger();
    TokenRenewer renewer = base(fixed(0.0))
        .issueFunction(() -> {
          issues.incrementAndGet();
          throw Status.PERMISSION_DENIED.withDescription("CALLER_UNKNOWN").asRuntimeException();
        })
        .renewFunction(renewingFor(HOUR))
        .build().start();

    time.advance(HOUR);

    assertThat(issues).hasValue(1);
    assertThat(listener.stopped).hasSize(1);
    assertThat(listener.renewed).isEmpty();
    assertThat(renewer.currentToken()).isNull();
  }

  @Test
  void reportsExpiryOnceWhenNoRenewalSucceededAndKeepsTrying() {
    IssuedToken initial = tokenValidFor(Duration.ofMinutes(10));
    AtomicInteger attempts = new AtomicInteger();
    base(fixed(0.0)).initialToken(initial)
        .renewFunction(current -> {
          attempts.incrementAndGet();
          renewedFrom.add(current);
          throw new IllegalStateException("refused");
        })
        .build().start();

    time.advance(Duration.ofMinutes(10).minusMillis(1));
    assertThat(listener.expired).isEmpty();
    time.advance(Duration.ofMillis(1));
    assertThat(listener.expired).containsExactly(initial);
    assertThat(listener.expiredAt).containsExactly(T0.plus(Duration.ofMinutes(10)));

    int before = attempts.get();
    time.advance(Duration.ofMinutes(5));
    assertThat(attempts.get()).isGreaterThan(before);
    assertThat(listener.expired).hasSize(1);
    // Without an issue function it keeps renewing the same (expired) token: the server may have a grace.
    assertThat(renewedFrom).containsOnly(initial);
  }

  @Test
  void issuesTheFirstTokenAndReissuesAfterExpiry() {
    AtomicInteger issues = new AtomicInteger();
    TokenRenewer renewer = base(fixed(0.0))
        .issueFunction(() -> {
          issues.incrementAndGet();
          return tokenValidFor(Duration.ofMinutes(10));
        })
        .renewFunction(current -> {
          throw new IllegalStateException("past grace");
        })
        .build();
    assertThat(renewer.currentToken()).isNull();
    renewer.start();
    time.runDue();

    assertThat(issues).hasValue(1);
    assertThat(listener.renewed).hasSize(1);
    IssuedToken first = listener.renewed.get(0);
    assertThat(renewer.currentToken()).isEqualTo(first);

    time.advance(Duration.ofMinutes(10));
    assertThat(listener.expired).containsExactly(first);
    // The next attempt after expiry issues afresh instead of renewing.
    time.advance(Duration.ofSeconds(5));
    assertThat(issues).hasValue(2);
    assertThat(listener.renewed).hasSize(2);
    assertThat(renewer.currentToken()).isEqualTo(listener.renewed.get(1));
  }

  @Test
  void aRenewedTokenThatIsAlreadyExpiredCountsAsAFailure() {
    base(fixed(0.0)).initialToken(tokenValidFor(HOUR))
        .renewFunction(current -> IssuedToken.newBuilder().setToken("stale").setExpiresAt(ts(T0)).build())
        .build().start();

    time.advance(HOUR.minusSeconds(30));

    assertThat(listener.renewed).isEmpty();
    assertThat(listener.failures).hasSize(1);
    assertThat(listener.failures.get(0).error).hasMessageContaining("already expired");
  }

  @Test
  void closeCancelsEverythingAndSilencesTheListener() {
    TokenRenewer renewer = base(fixed(0.0)).initialToken(tokenValidFor(Duration.ofMinutes(10)))
        .renewFunction(renewingFor(HOUR)).build().start();
    assertThat(time.activeTasks()).isEqualTo(2); // renewal and expiry watch

    renewer.close();
    renewer.close();
    time.advance(Duration.ofHours(3));

    assertThat(time.activeTasks()).isZero();
    assertThat(renewCalls).isEmpty();
    assertThat(listener.renewed).isEmpty();
    assertThat(listener.expired).isEmpty();
    assertThatThrownBy(renewer::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeDuringAnAttemptDropsItsResult() {
    TokenRenewer[] self = new TokenRenewer[1];
    self[0] = base(fixed(0.0)).initialToken(tokenValidFor(HOUR))
        .renewFunction(current -> {
          renewCalls.add(time.instant());
          self[0].close(); // e.g. the application shutting down on another thread
          return tokenValidFor(HOUR);
        })
        .build().start();

    time.advance(Duration.ofHours(3));

    assertThat(renewCalls).hasSize(1);
    assertThat(listener.renewed).isEmpty();
    assertThat(listener.expired).isEmpty();
  }

  @Test
  void renewNowRenewsImmediately() {
    TokenRenewer renewer = base(fixed(0.0)).initialToken(tokenValidFor(HOUR))
        .renewFunction(renewingFor(HOUR)).build().start();
    time.advance(Duration.ofMinutes(1));

    renewer.renewNow();
    time.runDue();

    assertThat(renewCalls).containsExactly(T0.plusSeconds(60));
    assertThat(listener.renewed).hasSize(1);
    // The old schedule is gone: the next renewal follows the new token.
    time.advance(HOUR.minusSeconds(31));
    assertThat(renewCalls).hasSize(1);
    time.advance(Duration.ofSeconds(1));
    assertThat(renewCalls).hasSize(2);
  }

  @Test
  void aThrowingListenerDoesNotStopRenewal() {
    List<Instant> calls = new ArrayList<>();
    TokenRenewer.builder().clock(time).scheduler(time).random(fixed(0.0))
        .leadTime(Duration.ofSeconds(30)).maxJitter(Duration.ZERO)
        .listener(token -> {
          throw new IllegalStateException("listener bug");
        })
        .initialToken(tokenValidFor(HOUR))
        .renewFunction(current -> {
          calls.add(time.instant());
          return tokenValidFor(HOUR);
        })
        .build().start();

    time.advance(HOUR.multipliedBy(3));

    assertThat(calls).hasSize(3);
  }

  @Test
  void builderRejectsIncompleteOrInvalidSettings() {
    assertThatThrownBy(() -> TokenRenewer.builder().listener(listener).renewFunction(renewingFor(HOUR)).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TokenRenewer.builder().listener(listener).renewFunction(renewingFor(HOUR))
        .initialToken(IssuedToken.newBuilder().setToken("no-times").build()).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenRenewer.builder().leadTime(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenRenewer.builder().backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A generator whose nextDouble is fixed, to place jitter exactly. */
  private static RandomGenerator fixed(double u) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public double nextDouble() {
        return u;
      }
    };
  }

  private final class RecordingListener implements TokenRenewer.Listener {
    final List<IssuedToken> renewed = new ArrayList<>();
    final List<Failure> failures = new ArrayList<>();
    final List<IssuedToken> expired = new ArrayList<>();
    final List<Instant> expiredAt = new ArrayList<>();
    final List<Throwable> stopped = new ArrayList<>();

    @Override
    public void onRenewalStopped(Throwable error) {
      stopped.add(error);
    }

    @Override
    public void onTokenRenewed(IssuedToken token) {
      renewed.add(token);
    }

    @Override
    public void onRenewalFailed(Throwable error, int consecutiveFailures, Duration retryIn) {
      failures.add(new Failure(error, consecutiveFailures, retryIn));
    }

    @Override
    public void onTokenExpired(IssuedToken token) {
      expired.add(token);
      expiredAt.add(time.instant());
    }
  }

  private record Failure(Throwable error, int consecutive, Duration retryIn) {}
}
