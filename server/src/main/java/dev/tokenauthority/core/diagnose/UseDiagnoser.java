package dev.tokenauthority.core.diagnose;

import dev.tokenauthority.core.Privilege;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora006.LegacyAccessTokenVerifier;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.Service;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.zego04.ZegoRoomPrivileges;
import dev.tokenauthority.core.zego04.ZegoToken04;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Explains why a vendor would refuse a token for an intended use. It reads the claims only: the
 * caller decides whether they are authentic (a forged token fails at the vendor whatever this
 * says) and adds {@link FindingReason#TOKEN_NOT_AUTHENTIC} or {@link
 * FindingReason#TOKEN_NOT_VERIFIED} itself.
 *
 * <p>Checks, each only when the use names what it needs: app id; issue and expiry times at the
 * moment of use; the RTC channel and user (uid vs account), RTM user, chat user, ZEGO user and
 * room; then the action's service, privilege and privilege expiry, and ZEGO publish and stream.
 */
public final class UseDiagnoser {
  private UseDiagnoser() {}

  public static List<Finding> diagnose(TokenClaims claims, IntendedUse use) {
    List<Finding> out = new ArrayList<>();
    Instant at = use.at();
    use.appId().filter(id -> !sameAppId(claims, id)).ifPresent(id -> out.add(new Finding(
        FindingReason.APP_ID_MISMATCH,
        "the token is for app " + Finding.quote(claims.appId()) + ", the use names app " + Finding.quote(id),
        "issue the token with the credential of app " + Finding.quote(id) + ", or initialise the SDK with "
            + Finding.quote(claims.appId()))));
    // A 006 token does not carry its issue time (only ts = issue + 24 h by convention).
    if (claims.format() != TokenFormat.AGORA_006 && claims.issuedAt().isAfter(at)) {
      out.add(new Finding(FindingReason.TOKEN_NOT_YET_VALID,
          "the token was issued at " + claims.issuedAt() + ", after the moment of use " + at,
          "check the issuing server's clock, or use the token from " + claims.issuedAt() + " on"));
    }
    boolean expired = !at.isBefore(claims.expiresAt());
    if (expired) {
      out.add(new Finding(FindingReason.TOKEN_EXPIRED,
          "the token expired at " + claims.expiresAt() + ", before the moment of use " + at,
          "renew the token (RenewToken) before " + claims.expiresAt()));
    }
    identities(claims, use, out);
    use.action().ifPresentOrElse(action -> action(claims, use, action, expired, out),
        () -> impliedServices(claims, use, out));
    return List.copyOf(out);
  }

  /**
   * Without an action, the Agora users and channel the use names still imply a service: a channel
   * or RTC uid/account is an RTC join, an RTM user an RTM login, a chat user a chat login. A token
   * without that service would be refused (an RTM-only token joining a channel), so say so rather
   * than judge the use acceptable because nothing in the token contradicts it.
   */
  private static void impliedServices(TokenClaims claims, IntendedUse use, List<Finding> out) {
    if (!(claims instanceof AccessToken2) && !(claims instanceof LegacyAccessToken)) {
      return;
    }
    boolean rtc = use.channel().isPresent() || use.uid().isPresent() || use.account().isPresent();
    if (rtc) {
      serviceMissing(claims, IntendedAction.RTC_JOIN_CHANNEL, out);
    }
    if (use.rtmUserId().isPresent()) {
      serviceMissing(claims, IntendedAction.RTM_LOGIN, out);
    }
    if (use.chatUserId().isPresent()) {
      serviceMissing(claims, IntendedAction.CHAT_LOGIN, out);
    }
  }

  /** The token failed verification with the app's credential ({@code reason}): the vendor refuses it for any use. */
  public static Finding notAuthentic(String reason) {
    if (LegacyAccessTokenVerifier.BINDING_MISMATCH.equals(reason)) {
      return notVerified("a 006 token carries only CRC-32s of its channel and user, and those given do not match",
          "verify it with the channel and uid it was issued for (legacy_binding, or --channel and --uid)");
    }
    if (NOT_YET_VALID.equals(reason)) {
      return new Finding(FindingReason.TOKEN_NOT_YET_VALID,
          "the token's issue time is after the verifying clock, so it was not verified",
          "check the clocks (NTP) of the issuing host and of the verifier");
    }
    return new Finding(FindingReason.TOKEN_NOT_AUTHENTIC,
        "the token does not verify for the app (" + reason + "): the vendor refuses it for any use",
        "issue a new token with the app's current credential");
  }

  /** The token could not be verified ({@code why}), so acceptance is unknown; {@code fix} says how to verify it. */
  public static Finding notVerified(String why, String fix) {
    return new Finding(FindingReason.TOKEN_NOT_VERIFIED,
        "the token could not be verified (" + why + "), so acceptance is unknown", fix);
  }

  private static final String NOT_YET_VALID = dev.tokenauthority.core.TokenVerificationException.NOT_YET_VALID;

  private static boolean sameAppId(TokenClaims claims, String appId) {
    // Easemob app keys are case-insensitive at the vendor.
    return claims.format() == TokenFormat.EASEMOB_DT
        ? claims.appId().equalsIgnoreCase(appId) : claims.appId().equals(appId);
  }

  private static void identities(TokenClaims claims, IntendedUse use, List<Finding> out) {
    if (claims instanceof AccessToken2 t && t.rtc().isPresent()) {
      use.channel().ifPresent(c -> channel(HeldValue.text(t.rtc().get().channelName()), c, out));
      RtcUserCheck.check(HeldValue.text(t.rtc().get().uid()), use).ifPresent(out::add);
    }
    if (claims instanceof LegacyAccessToken t && !t.isRtm()) {
      var binding = t.binding();
      use.channel().ifPresent(c -> channel(
          HeldValue.crc(t.crcChannelName(), binding.map(LegacyAccessToken.Binding::channelName)), c, out));
      RtcUserCheck.check(HeldValue.crc(t.crcUid(), binding.map(LegacyAccessToken.Binding::uid)), use)
          .ifPresent(out::add);
    }
    if (claims instanceof AccessToken2 t && t.rtm().isPresent()) {
      use.rtmUserId().ifPresent(u -> user("RTM", HeldValue.text(t.rtm().get().userId()), u, out));
    }
    if (claims instanceof LegacyAccessToken t && t.isRtm()) {
      // An RTM 006 token puts the account where the channel name goes.
      use.rtmUserId().ifPresent(u -> user("RTM",
          HeldValue.crc(t.crcChannelName(), t.binding().map(LegacyAccessToken.Binding::channelName)), u, out));
    }
    if (claims instanceof AccessToken2 t && t.chat().filter(c -> !c.userId().isEmpty()).isPresent()) {
      use.chatUserId().ifPresent(u -> user("chat", HeldValue.text(t.chat().get().userId()), u, out));
    }
    if (claims instanceof DynamicToken t) {
      // Easemob folds user names to lower case.
      use.chatUserId().ifPresent(u -> user("chat",
          HeldValue.text(t.userId().toLowerCase(Locale.ROOT)), u.toLowerCase(Locale.ROOT), out));
    }
    if (claims instanceof ZegoToken04 t) {
      use.zegoUserId().ifPresent(u -> user("ZEGO", HeldValue.text(t.userId()), u, out));
      Optional<String> room = t.room().map(ZegoRoomPrivileges::roomId);
      if (room.isPresent() && use.roomId().isPresent() && !room.get().equals(use.roomId().get())) {
        out.add(new Finding(FindingReason.ZEGO_ROOM_NOT_COVERED,
            "the token's room privileges are for room " + Finding.quote(room.get()) + ", the use names room "
                + Finding.quote(use.roomId().get()),
            "issue the token with room_id " + Finding.quote(use.roomId().get())));
      }
    }
  }

  private static void channel(HeldValue held, String channel, List<Finding> out) {
    if (!held.matches(channel)) {
      out.add(new Finding(FindingReason.CHANNEL_MISMATCH,
          "the token is for " + held.described("channel") + ", the use names " + Finding.quote(channel),
          "join the channel the token was issued for, or issue a token for " + Finding.quote(channel)));
    }
  }

  private static void user(String service, HeldValue held, String user, List<Finding> out) {
    if (!held.matches(user)) {
      out.add(new Finding(FindingReason.USER_MISMATCH,
          "the token is for " + held.described(service + " user") + ", the use names " + Finding.quote(user),
          "log in as the user the token was issued for, or issue a token for " + Finding.quote(user)));
    }
  }

  private static void action(TokenClaims claims, IntendedUse use, IntendedAction action, boolean expired,
      List<Finding> out) {
    if (serviceMissing(claims, action, out)) {
      return;
    }
    String needed = action.service().id();
    if (claims instanceof ZegoToken04 t) {
      zegoRoom(t, use, action, out);
      return;
    }
    if (claims instanceof DynamicToken) {
      return; // An Easemob user token carries the one "user" privilege, without an expiry of its own.
    }
    Optional<Privilege> privilege = claims.privileges().stream()
        .filter(p -> p.service().equals(needed) && p.name().equals(action.privilegeName())).findFirst();
    if (privilege.isEmpty()) {
      out.add(new Finding(FindingReason.PRIVILEGE_MISSING,
          "the token's " + needed + " service does not grant " + action.privilegeName()
              + (action == IntendedAction.CHAT_LOGIN ? " (a chat app token authorises REST calls, not a login)" : ""),
          action == IntendedAction.CHAT_LOGIN
              ? "issue a chat user token for the user's UUID"
              : "issue the token with the " + action.privilegeName() + " privilege (e.g. role publisher)"));
      return;
    }
    Optional<Instant> until = privilege.get().expiresAt();
    if (!expired && until.isPresent() && !use.at().isBefore(until.get())) {
      out.add(new Finding(FindingReason.PRIVILEGE_EXPIRED,
          "the " + needed + " privilege " + action.privilegeName() + " expired at " + until.get()
              + ", before the moment of use " + use.at(),
          "renew the token, or issue it with a longer privilege lifetime"));
    }
  }

  /** Adds SERVICE_MISSING when the token lacks the action's service; true if it did. */
  private static boolean serviceMissing(TokenClaims claims, IntendedAction action, List<Finding> out) {
    Set<String> services = services(claims);
    String needed = action.service().id();
    if (services.contains(needed)) {
      return false;
    }
    out.add(new Finding(FindingReason.SERVICE_MISSING,
        "the " + claims.format().id() + " token carries " + (services.isEmpty() ? "no service" : String.join(", ", services))
            + ", not " + needed + " (needed for " + action.name().toLowerCase(Locale.ROOT) + ")",
        fixForService(action)));
    return true;
  }

  private static void zegoRoom(ZegoToken04 t, IntendedUse use, IntendedAction action, List<Finding> out) {
    // No room payload: the token proves the user only, and the room does not restrict it.
    if (t.room().isEmpty() || action == IntendedAction.ZEGO_LOGIN
        || !t.room().get().roomId().equals(use.roomId().orElse(t.room().get().roomId()))) {
      return; // (another room is reported once, as ZEGO_ROOM_NOT_COVERED)
    }
    ZegoRoomPrivileges room = t.room().get();
    if (action == IntendedAction.ZEGO_ROOM_LOGIN && !room.canLogin()) {
      out.add(new Finding(FindingReason.PRIVILEGE_MISSING,
          "the token's room privileges for " + Finding.quote(room.roomId()) + " do not allow login",
          "issue the token with can_login set for the room"));
    }
    if (action == IntendedAction.ZEGO_ROOM_PUBLISH) {
      if (!room.canPublish()) {
        out.add(new Finding(FindingReason.ZEGO_PUBLISH_NOT_ALLOWED,
            "the token's room privileges for " + Finding.quote(room.roomId()) + " do not allow publishing",
            "issue the token with can_publish set for the room"));
      } else if (!room.streamIds().isEmpty() && use.streamId().isPresent()
          && !room.streamIds().contains(use.streamId().get())) {
        out.add(new Finding(FindingReason.ZEGO_STREAM_NOT_COVERED,
            "the token may publish only the streams " + room.streamIds().stream().limit(5).map(Finding::quote).toList()
                + ", not " + Finding.quote(use.streamId().get()),
            "publish one of the listed streams, or issue the token with stream id " + Finding.quote(use.streamId().get())));
      }
    }
  }

  /** The services the token carries, named as the action's service ids ("rtc", "rtm", "chat", "zego"). */
  private static Set<String> services(TokenClaims claims) {
    Set<String> names = new TreeSet<>();
    if (claims instanceof AccessToken2 t) {
      for (Service s : t.services()) {
        names.add(s.serviceName());
      }
    } else if (claims instanceof ZegoToken04) {
      names.add("zego");
    } else if (claims instanceof DynamicToken) {
      names.add("chat");
    } else {
      claims.privileges().forEach(p -> names.add(p.service()));
    }
    return names;
  }

  private static String fixForService(IntendedAction action) {
    return switch (action.service()) {
      case RTC -> "issue an Agora RTC token (IssueRtcToken) for the channel and user";
      case RTM -> "issue an RTM token (IssueRtmToken), or an RTC token with include_rtm";
      case CHAT -> "issue a chat user token (IssueChatToken)";
      case ZEGO -> "issue a ZEGO Token04 (IssueZimToken)";
    };
  }
}
