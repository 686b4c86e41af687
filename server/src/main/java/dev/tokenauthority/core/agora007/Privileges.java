package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.agora.AgoraLimits;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Helpers for privilege maps: an immutable, range-checked, key-ordered copy. */
final class Privileges {
  private Privileges() {}

  static SortedMap<Integer, Long> copyOf(Map<Integer, Long> privileges) {
    TreeMap<Integer, Long> copy = new TreeMap<>();
    for (Map.Entry<Integer, Long> e : privileges.entrySet()) {
      int key = e.getKey();
      long value = e.getValue();
      if (key < 0 || key > 0xFFFF || value < 0 || value > AgoraLimits.MAX_U32) {
        throw new InvalidTokenInputException(
            "privileges", "PRIVILEGE_OUT_OF_RANGE", "privilege key or value out of wire range");
      }
      copy.put(key, value);
    }
    return Collections.unmodifiableSortedMap(copy);
  }

  static SortedMap<Integer, Long> single(int key, long value) {
    return copyOf(Map.of(key, value));
  }

  static String unnamed(int key) {
    return "privilege_" + key;
  }
}
