package dev.tokenauthority.core.zego04;

import java.util.List;
import java.util.Objects;

/**
 * The RTC room payload of a Token04: which room, whether the user may log in (privilege 1) and
 * publish (privilege 2), and which stream ids it may publish (empty list = any; written as
 * {@code null} on the wire, as the vendor's generators do).
 *
 * <p>Construction validates every field and throws {@link
 * dev.tokenauthority.core.InvalidTokenInputException} naming {@code room_id} or {@code stream_ids}.
 */
public record ZegoRoomPrivileges(
    String roomId, boolean canLogin, boolean canPublish, List<String> streamIds) {

  public static final int LOGIN = 1;
  public static final int PUBLISH = 2;

  public ZegoRoomPrivileges {
    if (roomId == null) {
      ZegoRules.invalid("room_id", "ROOM_ID_EMPTY", "is required");
    }
    ZegoRules.checkRoomId(roomId);
    if (streamIds != null && streamIds.stream().anyMatch(Objects::isNull)) {
      ZegoRules.invalid("stream_ids", "STREAM_ID_EMPTY", "a stream id must not be empty");
    }
    streamIds = streamIds == null ? List.of() : List.copyOf(streamIds);
    if (streamIds.size() > ZegoRules.MAX_STREAM_IDS) {
      ZegoRules.invalid(
          "stream_ids", "STREAM_IDS_TOO_MANY", "at most " + ZegoRules.MAX_STREAM_IDS + " stream ids");
    }
    streamIds.forEach(ZegoRules::checkStreamId);
  }

  public static ZegoRoomPrivileges of(String roomId, boolean canLogin, boolean canPublish) {
    return new ZegoRoomPrivileges(roomId, canLogin, canPublish, List.of());
  }
}
