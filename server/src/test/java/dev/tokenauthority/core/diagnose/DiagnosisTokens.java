package dev.tokenauthority.core.diagnose;

import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcUser;
import dev.tokenauthority.core.agora006.LegacyAccessTokenBuilder;
import dev.tokenauthority.core.agora006.LegacyPrivilege;
import dev.tokenauthority.core.agora007.AccessToken2Builder;
import dev.tokenauthority.core.agora007.ChatService;
import dev.tokenauthority.core.agora007.RtcService;
import dev.tokenauthority.core.agora007.RtmService;
import dev.tokenauthority.core.agora007.Service;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.zego04.ZegoRoomPrivileges;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Tokens for the diagnosis tests, all issued at {@link #ISSUED} by fixed test credentials. */
public final class DiagnosisTokens {
  public static final long ISSUED = 1_764_748_800L; // 2025-12-03T08:00:00Z
  public static final String AGORA_APP = "970ca35de60c44645bbae8a215061b33";
  public static final Secret AGORA_CERT = Secret.of("5cfd2fd1755d40ecb72977518be15d3b");
  public static final long ZEGO_APP = 1234567L;
  public static final Secret ZEGO_SECRET = Secret.of("fa94dd0f974cf2e293728a526b028271");
  public static final String EASEMOB_APPKEY = "org#app";
  public static final String EASEMOB_CLIENT = "YXA6clientid";
  public static final Secret EASEMOB_SECRET = Secret.of("YXA6clientsecret");

  private DiagnosisTokens() {}

  /** An RTC-only 007 token: the given join lifetime, the other privileges for the role. */
  public static String rtc(String channel, RtcUser user, boolean publisher, long joinLifetime) {
    Map<RtcPrivilege, Long> lifetimes = new EnumMap<>(RtcPrivilege.class);
    lifetimes.put(RtcPrivilege.JOIN_CHANNEL, joinLifetime);
    if (publisher) {
      lifetimes.put(RtcPrivilege.PUBLISH_AUDIO, 0L);
      lifetimes.put(RtcPrivilege.PUBLISH_VIDEO, 0L);
      lifetimes.put(RtcPrivilege.PUBLISH_DATA_STREAM, 0L);
    }
    return agora007(RtcService.of(channel, user, lifetimes));
  }

  public static String rtc(String channel, RtcUser user) {
    return rtc(channel, user, true, 0);
  }

  public static String rtm(String user) {
    return agora007(RtmService.login(user, 0));
  }

  public static String chatUser(String uuid) {
    return agora007(ChatService.user(uuid, 0));
  }

  public static String chatApp() {
    return agora007(ChatService.app(0));
  }

  /** A 007 token of one service, issued at {@link #ISSUED} for 3600 s. */
  public static String agora007(Service service) {
    return AccessToken2Builder.create().appId(AGORA_APP).issueTs(ISSUED).expire(3600).salt(1)
        .addService(service).sign(AGORA_CERT).token();
  }

  /** A 006 RTC publisher token (privileges without own limit), valid until ISSUED + 3600. */
  public static String legacyRtc(String channel, String uidText) {
    LegacyAccessTokenBuilder b = LegacyAccessTokenBuilder.create().appId(AGORA_APP).channelName(channel)
        .uid(uidText).salt(1).ts(ISSUED + 3600);
    for (RtcPrivilege p : RtcPrivilege.values()) {
      b.privilege(p.code(), 0);
    }
    return b.sign(AGORA_CERT).token();
  }

  public static String legacyRtm(String account) {
    return LegacyAccessTokenBuilder.create().appId(AGORA_APP).channelName(account).uid("").salt(1)
        .ts(ISSUED + 3600).privilege(LegacyPrivilege.RTM_LOGIN, 0).sign(AGORA_CERT).token();
  }

  public static String zego(String user, ZegoRoomPrivileges room) {
    var b = dev.tokenauthority.core.zego04.ZegoToken04.builder().appId(ZEGO_APP).serverSecret(ZEGO_SECRET)
        .userId(user).lifetimeSeconds(3600).issuedAt(ISSUED).nonce(7).iv("0123456789abcdef");
    if (room != null) {
      b.room(room);
    }
    return b.build().token();
  }

  public static ZegoRoomPrivileges room(String roomId, boolean login, boolean publish, List<String> streams) {
    return new ZegoRoomPrivileges(roomId, login, publish, streams);
  }

  public static String easemob(String user) {
    return DynamicToken.builder().appKey(EASEMOB_APPKEY).clientId(EASEMOB_CLIENT).clientSecret(EASEMOB_SECRET)
        .userId(user).ttlSeconds(3600).issuedAt(ISSUED).build().token();
  }
}
