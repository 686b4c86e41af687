package dev.tokenauthority.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RateLimiter limiter = new RateLimiter(clock);

  @Test
  void aFullBucketAllowsTheBurstThenSaysWhenTheNextTokenComes() {
    Rate rate = new Rate(4, 2);
    assertThat(limiter.tryAcquire("a", rate)).isZero();
    assertThat(limiter.tryAcquire("a", rate)).isZero();
    assertThat(limiter.tryAcquire("a", rate)).isEqualTo(Duration.ofMillis(250));
    clock.advance(Duration.ofMillis(100));
    assertThat(limiter.tryAcquire("a", rate)).isEqualTo(Duration.ofMillis(150));
    clock.advance(Duration.ofMillis(150));
    assertThat(limiter.tryAcquire("a", rate)).isZero();
    assertThat(limiter.tryAcquire("a", rate)).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void refusedCallsTakeNothingAndTheBucketNeverHoldsMoreThanTheBurst() {
    Rate rate = new Rate(1, 3);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire("a", rate)).isZero();
    }
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire("a", rate)).isEqualTo(Duration.ofSeconds(1));
    }
    clock.advance(Duration.ofDays(400));
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire("a", rate)).isZero();
    }
    assertThat(limiter.tryAcquire("a", rate)).isPositive();
  }

  @Test
  void eachCallerHasItsOwnBucket() {
    Rate rate = new Rate(1, 1);
    assertThat(limiter.tryAcquire("a", rate)).isZero();
    assertThat(limiter.tryAcquire("a", rate)).isPositive();
    assertThat(limiter.tryAcquire("b", rate)).isZero();
  }

  @Test
  void unlimitedNeverRefusesAndANewRateKeepsWhatIsStoredUpToItsBurst() {
    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.tryAcquire("a", Rate.UNLIMITED)).isZero();
    }
    assertThat(limiter.tryAcquire("b", new Rate(1, 10))).isZero(); // 9 left
    Rate smaller = new Rate(2, 2);
    assertThat(limiter.tryAcquire("b", smaller)).isZero();
    assertThat(limiter.tryAcquire("b", smaller)).isZero();
    assertThat(limiter.tryAcquire("b", smaller)).isEqualTo(Duration.ofMillis(500));
  }
}
