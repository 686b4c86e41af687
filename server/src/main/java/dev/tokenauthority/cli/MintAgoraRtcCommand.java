package dev.tokenauthority.cli;

import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcRole;
import dev.tokenauthority.core.agora.issue.AgoraTokenIssuer;
import dev.tokenauthority.core.agora.issue.RtcTokenRequest;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Agora RTC token. With a role, every privilege of the role lives {@code --privilege-expire}
 * (default {@code --expire}). With {@code --join-expire} and friends, exactly the privileges named
 * are packed; a role given alongside must allow them (a subscriber may only join).
 */
@Command(name = "agora-rtc", description = "Mint an Agora RTC token (007 or 006).", mixinStandardHelpOptions = true)
final class MintAgoraRtcCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin AgoraOptions agora;

  @Option(names = "--channel", required = true, paramLabel = "NAME", description = "RTC channel name.")
  String channel;

  @ArgGroup(exclusive = true, multiplicity = "1") User user;

  static final class User {
    @Option(names = "--uid", paramLabel = "N", description = "Numeric uid, 0-4294967295 (0 = any user).") Long uid;
    @Option(names = "--account", paramLabel = "S", description = "String user account.") String account;
  }

  @Option(names = "--role", paramLabel = "ROLE", description = "publisher or subscriber.") String role;
  @Option(names = "--expire", required = true, paramLabel = "SECONDS", description = AgoraOptions.EXPIRE_HELP)
  long expire;
  @Option(names = "--privilege-expire", paramLabel = "SECONDS",
      description = "Lifetime of every privilege of --role (default: --expire).") Long privilegeExpire;
  @Option(names = "--join-expire", paramLabel = "S",
      description = "Pack join_channel with this lifetime; the --*-expire options given are the privileges packed.")
  Long joinExpire;
  @Option(names = "--audio-expire", paramLabel = "S", description = "Pack publish_audio with this lifetime.")
  Long audioExpire;
  @Option(names = "--video-expire", paramLabel = "S", description = "Pack publish_video with this lifetime.")
  Long videoExpire;
  @Option(names = "--data-expire", paramLabel = "S", description = "Pack publish_data_stream with this lifetime.")
  Long dataExpire;
  @Option(names = "--with-rtm", description = "Add RTM login (007), for --rtm-user-id or else the same user.")
  boolean withRtm;
  @Option(names = "--rtm-user-id", paramLabel = "USER", description = "With --with-rtm: the RTM user, when it is not the RTC user.")
  String rtmUserId;
  @Option(names = "--chat-user-uuid", paramLabel = "UUID",
      description = "Add Agora Chat login for this chat user UUID (007), expiring with the token.")
  String chatUserUuid;
  @Option(names = "--format", paramLabel = "007|006", defaultValue = "007", description = "007 (default) or 006.") String format;
  @Option(names = "--privilege-expired-ts", paramLabel = "UNIX", description = AgoraOptions.PRIVILEGE_EXPIRED_TS_HELP)
  Long privilegeExpiredTs;

  @Override
  public Integer call() {
    RtcRole rtcRole = role == null ? null : role(role);
    Map<RtcPrivilege, Long> explicit = new EnumMap<>(RtcPrivilege.class);
    put(explicit, RtcPrivilege.JOIN_CHANNEL, joinExpire);
    put(explicit, RtcPrivilege.PUBLISH_AUDIO, audioExpire);
    put(explicit, RtcPrivilege.PUBLISH_VIDEO, videoExpire);
    put(explicit, RtcPrivilege.PUBLISH_DATA_STREAM, dataExpire);

    TokenFormat tokenFormat = AgoraOptions.format(format);
    if (chatUserUuid != null && tokenFormat != TokenFormat.AGORA_007) {
      throw new ExitCodes.UsageException("chat-user-uuid: only with --format 007");
    }
    RtcTokenRequest.Builder b = RtcTokenRequest.builder()
        .channelName(channel)
        .lifetimeSeconds(expire)
        .format(tokenFormat)
        .includeRtm(withRtm)
        .rtmUserId(rtmUserId)
        .chatUserUuid(chatUserUuid)
        .overrides(agora.overrides(tokenFormat, privilegeExpiredTs));
    if (user.uid != null) {
      b.uid(user.uid);
    } else {
      b.userAccount(user.account);
    }
    if (explicit.isEmpty()) {
      if (rtcRole == null) {
        throw new ExitCodes.UsageException("role: give --role, or per-privilege --join-expire/--audio-expire/...");
      }
      b.role(rtcRole);
      if (privilegeExpire != null) {
        b.privilegeLifetimeSeconds(privilegeExpire);
      }
    } else {
      if (privilegeExpire != null) {
        throw new ExitCodes.UsageException("privilege-expire: give it or per-privilege expiries, not both");
      }
      if (rtcRole != null && !rtcRole.privileges().containsAll(explicit.keySet())) {
        throw new ExitCodes.UsageException("role: " + role + " may not be granted " + explicit.keySet());
      }
      explicit.forEach(b::privilegeLifetime);
    }
    String token = AgoraTokenIssuer.withSystemDefaults().issueRtc(agora.credentials(), b.build()).token();
    spec.commandLine().getOut().println(token);
    return Main.EXIT_OK;
  }

  private static void put(Map<RtcPrivilege, Long> map, RtcPrivilege p, Long seconds) {
    if (seconds != null) {
      map.put(p, seconds);
    }
  }

  private static RtcRole role(String role) {
    return switch (role) {
      case "publisher" -> RtcRole.PUBLISHER;
      case "subscriber" -> RtcRole.SUBSCRIBER;
      default -> throw new ExitCodes.UsageException("role: must be publisher or subscriber");
    };
  }
}
