package dev.tokenauthority.server.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AttributeSetsTest {
  static final AttributeKey<String> K = AttributeKey.stringKey("k");

  @Test
  void buildsEachSetOnceAndReusesIt() {
    AtomicInteger built = new AtomicInteger();
    AttributeSets<String> sets = new AttributeSets<>(v -> {
      built.incrementAndGet();
      return Attributes.of(K, v);
    });
    Attributes first = sets.of("a");
    assertThat(sets.of("a")).isSameAs(first).isEqualTo(Attributes.of(K, "a"));
    assertThat(sets.of("b")).isEqualTo(Attributes.of(K, "b"));
    assertThat(built).hasValue(2);
  }

  @Test
  void staysBoundedAndCorrectPastItsLimit() {
    AtomicInteger built = new AtomicInteger();
    AttributeSets<Integer> sets = new AttributeSets<>(v -> {
      built.incrementAndGet();
      return Attributes.of(K, Integer.toString(v));
    });
    for (int i = 0; i < 10_000; i++) {
      assertThat(sets.of(i)).isEqualTo(Attributes.of(K, Integer.toString(i)));
    }
    assertThat(sets.size()).isLessThanOrEqualTo(4096);
    // Key 0 was dropped when the map was emptied: asked again, it is built again.
    int before = built.get();
    sets.of(0);
    assertThat(built.get()).isEqualTo(before + 1);
  }
}
