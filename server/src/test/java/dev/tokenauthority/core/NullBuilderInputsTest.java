package dev.tokenauthority.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcUser;
import dev.tokenauthority.core.agora006.LegacyAccessTokenBuilder;
import dev.tokenauthority.core.agora007.AccessToken2Builder;
import dev.tokenauthority.core.agora007.RtcService;
import dev.tokenauthority.core.zego04.ZegoRoomPrivileges;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** A null builder input is bad input like any other: the typed exception naming the field, never an NPE. */
class NullBuilderInputsTest {
  private static void rejects(ThrowingCallable call, String field, String reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidTokenInputException.class, e -> {
      org.assertj.core.api.Assertions.assertThat(e.field()).isEqualTo(field);
      org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(reason);
    });
  }

  @Test
  void legacyBuilderChannelAndUid() {
    rejects(() -> LegacyAccessTokenBuilder.create().channelName(null), "channel_name", "CHANNEL_NAME_EMPTY");
    rejects(() -> LegacyAccessTokenBuilder.create().uid(null), "uid", "USER_MISSING");
  }

  @Test
  void rtcServiceOf() {
    Map<RtcPrivilege, Long> join = Map.of(RtcPrivilege.JOIN_CHANNEL, 60L);
    rejects(() -> RtcService.of(null, RtcUser.uid(1), join), "channel_name", "CHANNEL_NAME_EMPTY");
    rejects(() -> RtcService.of("room", null, join), "user", "USER_MISSING");
    rejects(() -> RtcService.of("room", RtcUser.uid(1), null), "privilege_lifetimes", "NO_PRIVILEGES");
    java.util.HashMap<RtcPrivilege, Long> nullLifetime = new java.util.HashMap<>();
    nullLifetime.put(RtcPrivilege.JOIN_CHANNEL, null);
    rejects(() -> RtcService.of("room", RtcUser.uid(1), nullLifetime),
        "privilege_lifetimes.join_channel_seconds", "PRIVILEGE_LIFETIME_MISSING");
    java.util.HashMap<RtcPrivilege, Long> nullPrivilege = new java.util.HashMap<>();
    nullPrivilege.put(null, 60L);
    rejects(() -> RtcService.of("room", RtcUser.uid(1), nullPrivilege), "privilege_lifetimes", "NO_PRIVILEGES");
  }

  @Test
  void zegoRoomPrivileges() {
    rejects(() -> new ZegoRoomPrivileges(null, true, false, List.of()), "room_id", "ROOM_ID_EMPTY");
    rejects(() -> ZegoRoomPrivileges.of(null, true, true), "room_id", "ROOM_ID_EMPTY");
  }

  @Test
  void accessToken2BuilderAddService() {
    rejects(() -> AccessToken2Builder.create().addService(null), "services", "NO_SERVICES");
  }
}
