package dev.tokenauthority.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoTest {
  @Test
  void shortValuesAreKeptLongOnesCutAndMarkedWithTheirLength() {
    assertThat(Echo.of("abc")).isEqualTo("abc");
    assertThat(Echo.of("x".repeat(128))).isEqualTo("x".repeat(128));
    assertThat(Echo.of("abc".repeat(1000))).isEqualTo("abc".repeat(42) + "ab…(3000 chars)");
    assertThat(Echo.of(null)).isNull();
  }

  @Test
  void aSurrogatePairIsNeverSplit() {
    String v = "x".repeat(127) + "😀" + "y".repeat(10); // the pair straddles the cut
    assertThat(Echo.of(v)).isEqualTo("x".repeat(127) + "…(139 chars)");
  }

  @Test
  void anErrorMessageIsBoundedWhateverItsSource() {
    ApiException e = ApiException.of(io.grpc.Status.Code.INVALID_ARGUMENT, null, "X_Y", "m".repeat(5000));
    assertThat(e.getMessage()).hasSizeLessThan(1100).endsWith("…(5000 chars)");
  }
}
