package dev.tokenauthority.server.tokens;

import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora.AgoraLimits;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora006.LegacyPrivilege;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.ChatService;
import dev.tokenauthority.core.agora007.RtcService;
import dev.tokenauthority.core.agora007.RtmService;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.zego04.ZegoToken04;
import dev.tokenauthority.server.errors.ApiException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads back what a verified token grants, for RenewToken to mint it again: identity, privilege
 * set and each privilege's lifetime relative to issue, so the new token is never wider. Tokens
 * with services or privileges this authority does not issue are refused, not narrowed silently.
 */
final class GrantReader {
  private GrantReader() {}

  static Grant of(TokenClaims claims) {
    if (claims instanceof AccessToken2 t) {
      return grantOf007(t);
    }
    if (claims instanceof LegacyAccessToken t) {
      LegacyAccessToken.Binding b = t.binding().orElseThrow(() -> new IllegalStateException("unverified 006"));
      long issued = t.issuedAt().getEpochSecond();
      if (t.isRtm()) {
        long at = t.privilegeMap().get(LegacyPrivilege.RTM_LOGIN);
        return new RtmGrant(b.channelName(), TokenFormat.AGORA_006,
            OptionalLong.of(at == 0 ? 0 : clampRelative(at - issued)));
      }
      Map<Integer, Long> privileges = new TreeMap<>();
      for (var e : t.privilegeMap().entrySet()) {
        if (RtcPrivilege.ofCode(e.getKey()).isEmpty()) {
          throw notRenewable("the 006 token carries privileges this authority does not issue");
        }
        long at = e.getValue();
        privileges.put(e.getKey(), at == 0 ? 0 : clampRelative(at - issued));
      }
      return new RtcGrant(b.channelName(), b.uid(), !isUidText(b.uid()), privileges, Optional.empty(),
          TokenFormat.AGORA_006);
    }
    if (claims instanceof ZegoToken04 t) {
      return new ZimGrant(t.userId(), t.room().map(r ->
          new ZimGrant.Room(r.roomId(), r.canLogin(), r.canPublish(), r.streamIds())));
    }
    if (claims instanceof DynamicToken t) {
      return new EasemobDynamicGrant(t.userId());
    }
    throw notRenewable("unsupported token type");
  }

  private static Grant grantOf007(AccessToken2 t) {
    Optional<RtcService> rtc = t.rtc();
    Optional<RtmService> rtm = t.rtm();
    Optional<ChatService> chat = t.chat();
    int known = (rtc.isPresent() ? 1 : 0) + (rtm.isPresent() ? 1 : 0) + (chat.isPresent() ? 1 : 0);
    if (known != t.services().size()) {
      throw notRenewable("the token carries services this authority does not issue");
    }
    if (rtc.isPresent()) {
      RtcService s = rtc.get();
      if (chat.isPresent() || !s.privileges().keySet().stream().allMatch(c -> RtcPrivilege.ofCode(c).isPresent())) {
        throw notRenewable("the token's RTC privileges are not ones this authority issues");
      }
      return new RtcGrant(s.channelName(), s.uid(), !isUidText(s.uid()), s.privileges(),
          rtm.map(RtmService::userId), rtm.map(GrantReader::loginSeconds).orElse(OptionalLong.empty()),
          TokenFormat.AGORA_007);
    }
    if (rtm.isPresent() && chat.isEmpty()) {
      return new RtmGrant(rtm.get().userId(), TokenFormat.AGORA_007, loginSeconds(rtm.get()));
    }
    if (chat.isPresent() && rtm.isEmpty()) {
      Map<Integer, Long> p = chat.get().privileges();
      if (p.keySet().equals(Set.of(ChatService.USER))) {
        return new ChatUserGrant(chat.get().userId(), OptionalLong.of(p.get(ChatService.USER)));
      }
      if (p.keySet().equals(Set.of(ChatService.APP))) {
        return new ChatAppGrant(OptionalLong.of(p.get(ChatService.APP)));
      }
    }
    throw notRenewable("the token's combination of services is not one this authority issues");
  }

  /**
   * The RTM login's lifetime relative to issue, kept as read (like RTC privileges) so a renewal
   * never lengthens it; an RTM service with other privileges is not one this authority issues.
   */
  private static OptionalLong loginSeconds(RtmService rtm) {
    if (!rtm.privileges().keySet().equals(Set.of(RtmService.LOGIN))) {
      throw notRenewable("the token's RTM privileges are not ones this authority issues");
    }
    return OptionalLong.of(rtm.privileges().get(RtmService.LOGIN));
  }

  /** "" (uid 0) or a decimal u32 without leading zeros: packed the same as the numeric uid. */
  static boolean isUidText(String s) {
    if (s.isEmpty()) {
      return true;
    }
    if (s.length() > 10 || (s.length() > 1 && s.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return Long.parseLong(s) <= AgoraLimits.MAX_UID;
  }

  private static long clampRelative(long seconds) {
    return Math.max(1, Math.min(seconds, AgoraLimits.MAX_LIFETIME_SECONDS));
  }

  private static ApiException notRenewable(String message) {
    return ApiException.failedPrecondition("token", "TOKEN_NOT_RENEWABLE", message);
  }
}
