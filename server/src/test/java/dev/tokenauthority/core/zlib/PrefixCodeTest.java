package dev.tokenauthority.core.zlib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link PrefixCode}'s cost against a textbook Huffman build over a priority queue. */
class PrefixCodeTest {
  @Test
  void costIsHuffmans() {
    SplittableRandom random = new SplittableRandom(0xc0de);
    PrefixCode code = new PrefixCode();
    for (int i = 0; i < 20_000; i++) {
      int symbols = random.nextInt(1 + random.nextInt(20));
      PriorityQueue<Long> queue = new PriorityQueue<>();
      code.clear();
      for (int s = 0; s < symbols; s++) {
        long c = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 5 : 500);
        code.add(c);
        if (c != 0) {
          queue.add(c);
        }
      }
      long expected = 0;
      while (queue.size() > 1) {
        long merged = queue.poll() + queue.poll();
        expected += merged;
        queue.add(merged);
      }
      assertEquals(expected, code.cost(), "case " + i);
    }
  }

  @Test
  void smallCases() {
    assertEquals(0, new PrefixCode().add(7).cost(), "one symbol needs no bits");
    assertEquals(14, new PrefixCode().add(4).add(1).add(2).add(1).cost(), "lengths 1, 3, 2, 3");
  }
}
