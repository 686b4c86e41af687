package dev.tokenauthority.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallerConcurrencyTest {
  private final CallerConcurrency calls = new CallerConcurrency();

  @Test
  void aCallerAtItsCapIsRefusedOthersAreNot() {
    assertThat(calls.tryAcquire("a", 2)).isTrue();
    assertThat(calls.tryAcquire("a", 2)).isTrue();
    assertThat(calls.tryAcquire("a", 2)).isFalse();
    assertThat(calls.tryAcquire("b", 2)).isTrue();
    assertThat(calls.inProgress("a")).isEqualTo(2);
    calls.release("a");
    assertThat(calls.tryAcquire("a", 2)).isTrue();
  }

  @Test
  void aCallerWithNothingInProgressLeavesNoEntry() {
    assertThat(calls.tryAcquire("a", 1)).isTrue();
    calls.release("a");
    calls.release("a"); // an extra release never goes negative
    assertThat(calls.inProgress("a")).isZero();
    assertThat(calls.tryAcquire("a", 1)).isTrue();
    assertThat(calls.tryAcquire("a", 1)).isFalse();
  }
}
