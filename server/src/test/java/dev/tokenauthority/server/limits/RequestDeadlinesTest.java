package dev.tokenauthority.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestDeadlinesTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RequestDeadlines deadlines = new RequestDeadlines(clock, Duration.ofSeconds(5));
  private final List<String> timedOut = new ArrayList<>();

  @Test
  void aCallStillWaitingAtItsDeadlineTimesOutOnceAndCannotDeliverAfterwards() {
    RequestDeadlines.Waiter w = deadlines.start(() -> timedOut.add("w"));
    clock.advance(Duration.ofMillis(4999));
    deadlines.sweep();
    assertThat(timedOut).isEmpty();
    clock.advance(Duration.ofMillis(1));
    deadlines.sweep();
    deadlines.sweep();
    assertThat(timedOut).containsExactly("w");
    assertThat(w.timedOut()).isTrue();
    assertThat(w.deliver()).isFalse();
    assertThat(deadlines.tracked()).isZero();
  }

  @Test
  void aDeliveredCallNeverTimesOutAndDeliveringTwiceIsFine() {
    RequestDeadlines.Waiter w = deadlines.start(() -> timedOut.add("w"));
    assertThat(w.deliver()).isTrue();
    assertThat(w.deliver()).isTrue();
    clock.advance(Duration.ofHours(1));
    deadlines.sweep();
    assertThat(timedOut).isEmpty();
    assertThat(deadlines.tracked()).isZero();
  }

  @Test
  void theSweepStopsAtTheFirstCallWithinItsTime() {
    deadlines.start(() -> timedOut.add("old"));
    clock.advance(Duration.ofSeconds(3));
    deadlines.start(() -> timedOut.add("young"));
    clock.advance(Duration.ofSeconds(2));
    deadlines.sweep();
    assertThat(timedOut).containsExactly("old");
    assertThat(deadlines.tracked()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(3));
    deadlines.sweep();
    assertThat(timedOut).containsExactly("old", "young");
  }

  @Test
  void aDeliveredCallLetsGoOfItsTimeoutActionWhileItWaitsInTheQueue() {
    RequestDeadlines.Waiter w = deadlines.start(() -> timedOut.add("w"));
    assertThat(w.holdsAction()).isTrue();
    assertThat(w.deliver()).isTrue();
    // Still queued until a sweep reaches it, but no longer holding the call it belonged to.
    assertThat(deadlines.tracked()).isEqualTo(1);
    assertThat(w.holdsAction()).isFalse();
  }
}
