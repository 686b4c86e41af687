package dev.tokenauthority.cli;

import dev.tokenauthority.core.diagnose.IntendedAction;
import dev.tokenauthority.core.diagnose.IntendedUse;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code inspect --expect-*}: the use a client is about to make of the token, for the core's
 * diagnosis. Only what is given is checked; uid 0 and the account "0" are different users.
 */
final class ExpectOptions {
  @Option(names = "--expect-app-id", paramLabel = "ID", description = "The app id the client SDK uses.")
  String appId;

  @Option(names = "--expect-channel", paramLabel = "C", description = "The RTC channel the client joins.")
  String channel;

  @Option(names = "--expect-uid", paramLabel = "N", description = "The numeric RTC uid the client joins with (0: the SDK picks).")
  Long uid;

  @Option(names = "--expect-account", paramLabel = "S", description = "The string RTC user account the client joins with.")
  String account;

  @Option(names = "--expect-rtm-user", paramLabel = "U", description = "The RTM user the client logs in as.")
  String rtmUser;

  @Option(names = "--expect-chat-user", paramLabel = "U", description = "The Agora Chat user UUID or Easemob user id.")
  String chatUser;

  @Option(names = "--expect-zego-user", paramLabel = "U", description = "The ZEGO user id.")
  String zegoUser;

  @Option(names = "--expect-service", paramLabel = "SERVICE", description = "rtc, rtm, chat or zego.")
  String service;

  @Option(names = "--expect-privilege", paramLabel = "P",
      description = "rtc: join (default), publish-audio, publish-video, publish-data; rtm, chat, zego: login (default); zego: publish.")
  String privilege;

  @Option(names = "--expect-room", paramLabel = "R", description = "The ZEGO room the client logs into or publishes in.")
  String room;

  @Option(names = "--expect-stream", paramLabel = "S", description = "The ZEGO stream id the client publishes.")
  String stream;

  boolean any() {
    return appId != null || channel != null || uid != null || account != null || rtmUser != null
        || chatUser != null || zegoUser != null || service != null || privilege != null || room != null
        || stream != null;
  }

  /** The intended use at {@code at}; bad input throws (exit 2). */
  IntendedUse toUse(Instant at) {
    IntendedUse.Builder b = IntendedUse.builder().at(at).appId(appId).channel(channel).rtmUserId(rtmUser)
        .chatUserId(chatUser).zegoUserId(zegoUser).roomId(room).streamId(stream);
    if (uid != null) {
      b.uid(uid);
    }
    if (account != null) {
      if (account.isEmpty()) {
        throw new ExitCodes.UsageException("expect-account: must not be empty (for uid 0 use --expect-uid 0)");
      }
      b.account(account);
    }
    action().ifPresent(b::action);
    return b.build();
  }

  private Optional<IntendedAction> action() {
    if (service == null && privilege == null) {
      return Optional.empty();
    }
    String s = service != null ? service : switch (privilege) {
      case "join", "publish-audio", "publish-video", "publish-data" -> "rtc";
      default -> throw new ExitCodes.UsageException("expect-service: give rtc, rtm, chat or zego with --expect-privilege " + privilege);
    };
    String p = privilege != null ? privilege : s.equals("rtc") ? "join" : "login";
    IntendedAction action = switch (s + ":" + p) {
      case "rtc:join" -> IntendedAction.RTC_JOIN_CHANNEL;
      case "rtc:publish-audio" -> IntendedAction.RTC_PUBLISH_AUDIO;
      case "rtc:publish-video" -> IntendedAction.RTC_PUBLISH_VIDEO;
      case "rtc:publish-data" -> IntendedAction.RTC_PUBLISH_DATA_STREAM;
      case "rtm:login" -> IntendedAction.RTM_LOGIN;
      case "chat:login" -> IntendedAction.CHAT_LOGIN;
      case "zego:login" -> room == null ? IntendedAction.ZEGO_LOGIN : IntendedAction.ZEGO_ROOM_LOGIN;
      case "zego:publish" -> IntendedAction.ZEGO_ROOM_PUBLISH;
      default -> throw new ExitCodes.UsageException(
          "expect-privilege: " + p + " is not a privilege of " + s
              + " (rtc: join, publish-audio, publish-video, publish-data; rtm, chat: login; zego: login, publish)");
    };
    return Optional.of(action);
  }
}
