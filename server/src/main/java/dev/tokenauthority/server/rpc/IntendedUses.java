package dev.tokenauthority.server.rpc;

import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.IntendedAction;
import dev.tokenauthority.api.v1.UseFinding;
import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.diagnose.Finding;
import dev.tokenauthority.core.diagnose.IntendedUse;
import dev.tokenauthority.server.errors.ApiException;
import java.time.Instant;
import java.util.Map;

/** Maps InspectToken's intended use to the core's {@link IntendedUse} and findings back to the API. */
final class IntendedUses {
  private static final Map<IntendedAction, dev.tokenauthority.core.diagnose.IntendedAction> ACTIONS = Map.of(
      IntendedAction.INTENDED_ACTION_RTC_JOIN_CHANNEL, dev.tokenauthority.core.diagnose.IntendedAction.RTC_JOIN_CHANNEL,
      IntendedAction.INTENDED_ACTION_RTC_PUBLISH_AUDIO, dev.tokenauthority.core.diagnose.IntendedAction.RTC_PUBLISH_AUDIO,
      IntendedAction.INTENDED_ACTION_RTC_PUBLISH_VIDEO, dev.tokenauthority.core.diagnose.IntendedAction.RTC_PUBLISH_VIDEO,
      IntendedAction.INTENDED_ACTION_RTC_PUBLISH_DATA_STREAM,
      dev.tokenauthority.core.diagnose.IntendedAction.RTC_PUBLISH_DATA_STREAM,
      IntendedAction.INTENDED_ACTION_RTM_LOGIN, dev.tokenauthority.core.diagnose.IntendedAction.RTM_LOGIN,
      IntendedAction.INTENDED_ACTION_CHAT_LOGIN, dev.tokenauthority.core.diagnose.IntendedAction.CHAT_LOGIN,
      IntendedAction.INTENDED_ACTION_ZEGO_LOGIN, dev.tokenauthority.core.diagnose.IntendedAction.ZEGO_LOGIN,
      IntendedAction.INTENDED_ACTION_ZEGO_ROOM_LOGIN, dev.tokenauthority.core.diagnose.IntendedAction.ZEGO_ROOM_LOGIN,
      IntendedAction.INTENDED_ACTION_ZEGO_ROOM_PUBLISH,
      dev.tokenauthority.core.diagnose.IntendedAction.ZEGO_ROOM_PUBLISH);

  private IntendedUses() {}

  /** The request's intended use, checked; bad input is INVALID_ARGUMENT naming the field. */
  static IntendedUse from(dev.tokenauthority.api.v1.IntendedUse in, Instant now) {
    try {
      IntendedUse.Builder b = IntendedUse.builder()
          .appId(in.getAppId()).channel(in.getChannelName()).rtmUserId(in.getRtmUserId())
          .chatUserId(in.getChatUserId()).zegoUserId(in.getZegoUserId()).roomId(in.getZegoRoomId())
          .streamId(in.getZegoStreamId()).at(in.hasAt() ? moment(in.getAt()) : now);
      switch (in.getRtcUserCase()) {
        case UID -> b.uid(in.getUid());
        case USER_ACCOUNT -> {
          if (in.getUserAccount().isEmpty()) {
            throw ApiException.invalidArgument("intended_use.user_account", "INTENDED_ACCOUNT_EMPTY",
                "a user account is 1 or more bytes; for uid 0 set intended_use.uid");
          }
          b.account(in.getUserAccount());
        }
        case RTCUSER_NOT_SET -> { }
      }
      if (in.getAction() != IntendedAction.INTENDED_ACTION_UNSPECIFIED) {
        var action = ACTIONS.get(in.getAction());
        if (action == null) {
          throw ApiException.invalidArgument("intended_use.action", "INTENDED_ACTION_UNKNOWN",
              "unknown action " + in.getActionValue());
        }
        b.action(action);
      }
      return b.build();
    } catch (InvalidTokenInputException e) {
      throw ApiException.invalidArgument(e.field(), e.reason(), e.getMessage());
    }
  }

  private static Instant moment(Timestamp t) {
    if (t.getSeconds() < 0 || t.getSeconds() > 253_402_300_799L || t.getNanos() < 0 || t.getNanos() > 999_999_999) {
      throw ApiException.invalidArgument("intended_use.at", "INTENDED_TIME_INVALID",
          "must be a valid timestamp between 1970-01-01 and 9999-12-31");
    }
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static UseFinding finding(Finding f) {
    return UseFinding.newBuilder().setReason(f.reason().name()).setMessage(f.message()).setFix(f.fix()).build();
  }
}
