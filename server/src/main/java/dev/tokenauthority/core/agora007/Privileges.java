package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.agora.AgoraLimits;
import dev.tokenauthority.core.agora.PrivilegeMap;
import java.util.Map;
import java.util.SortedMap;

/** Helpers for privilege maps: an immutable, range-checked, key-ordered copy. */
final class Privileges {
  private Privileges() {}

  /** A range-checked {@link PrivilegeMap}; one that already is one is checked and kept as it is. */
  static SortedMap<Integer, Long> copyOf(Map<Integer, Long> privileges) {
    PrivilegeMap map = PrivilegeMap.copyOf(privileges);
    for (int i = 0; i < map.count(); i++) {
      checkRange(map.keyAt(i), map.valueAt(i));
    }
    return map;
  }

  static SortedMap<Integer, Long> single(int key, long value) {
    checkRange(key, value);
    return PrivilegeMap.of(new int[] {key}, new long[] {value}, 1);
  }

  private static void checkRange(int key, long value) {
    if (key < 0 || key > 0xFFFF || value < 0 || value > AgoraLimits.MAX_U32) {
      throw new InvalidTokenInputException(
          "privileges", "PRIVILEGE_OUT_OF_RANGE", "privilege key or value out of wire range");
    }
  }

  static String unnamed(int key) {
    return "privilege_" + key;
  }
}
