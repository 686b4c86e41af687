package dev.tokenauthority.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The audit time is Instant.toString, character for character, whatever the fraction. */
class AuditTimeTest {
  @Test
  void formatsLikeInstantToString() {
    Random random = new Random(20261203);
    long base = Instant.parse("2026-12-03T12:00:00Z").getEpochSecond();
    for (int i = 0; i < 20_000; i++) {
      // Runs of the same second (the cache) and jumps, fractions with 0, 3, 6 and 9 digits.
      long second = base + (i / 7) + (random.nextInt(50) == 0 ? random.nextInt(1_000_000_000) : 0);
      int nano = switch (random.nextInt(5)) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        case 3 -> random.nextInt(10) * 100_000_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant t = Instant.ofEpochSecond(second, nano);
      assertThat(AuditTime.format(t)).as("%s", t).isEqualTo(t.toString());
    }
    assertThat(AuditTime.format(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(AuditTime.format(Instant.ofEpochSecond(-1, 5))).isEqualTo(Instant.ofEpochSecond(-1, 5).toString());
  }
}
