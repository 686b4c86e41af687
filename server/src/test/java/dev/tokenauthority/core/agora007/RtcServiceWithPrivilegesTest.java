package dev.tokenauthority.core.agora007;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.agora.PrivilegeMap;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcUser;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The issuer's role path ({@link RtcService#withPrivileges}) checks what {@link RtcService#of} checks. */
class RtcServiceWithPrivilegesTest {
  private static final RtcUser USER = RtcUser.uid(42);

  @Test
  void sameServiceAsTheMapPath() {
    Map<RtcPrivilege, Long> lifetimes = new EnumMap<>(RtcPrivilege.class);
    lifetimes.put(RtcPrivilege.JOIN_CHANNEL, 3600L);
    lifetimes.put(RtcPrivilege.PUBLISH_AUDIO, 0L);
    RtcService viaMap = RtcService.of("room", USER, lifetimes);
    RtcService viaArrays = RtcService.withPrivileges("room", USER, map(new int[] {2, 1}, new long[] {0, 3600}));
    assertEquals(viaMap, viaArrays);
  }

  @Test
  void rejectsWhatTheMapPathRejects() {
    assertEquals("NO_PRIVILEGES", reason(() -> RtcService.withPrivileges("room", USER, map(new int[0], new long[0]))));
    assertEquals("NO_PRIVILEGES", reason(() -> RtcService.withPrivileges("room", USER, map(new int[] {5}, new long[] {1}))));
    assertEquals("PRIVILEGE_LIFETIME_TOO_LONG",
        reason(() -> RtcService.withPrivileges("room", USER, map(new int[] {1}, new long[] {86_401}))));
    assertEquals("USER_MISSING", reason(() -> RtcService.withPrivileges("room", null, map(new int[] {1}, new long[] {1}))));
    assertEquals("CHANNEL_NAME_EMPTY", reason(() -> RtcService.withPrivileges("", USER, map(new int[] {1}, new long[] {1}))));
  }

  private static PrivilegeMap map(int[] keys, long[] values) {
    return PrivilegeMap.of(keys, values, keys.length);
  }

  private static String reason(Runnable call) {
    return assertThrows(InvalidTokenInputException.class, call::run).reason();
  }
}
