package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.agora.AgoraLimits;
import dev.tokenauthority.core.agora.AgoraValidation;
import dev.tokenauthority.core.agora.LittleEndianWriter;
import dev.tokenauthority.core.agora.PrivilegeMap;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcUser;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * RTC (type 1): privileges 1 join, 2 publish audio, 3 publish video, 4 publish data stream; then
 * the channel name and the uid text ("" = any user). The canonical constructor takes wire values
 * as they are (the parser uses it); {@link #of} validates builder input.
 */
public record RtcService(SortedMap<Integer, Long> privileges, String channelName, String uid)
    implements Service {

  public RtcService {
    privileges = Privileges.copyOf(privileges);
    Objects.requireNonNull(channelName, "channelName");
    Objects.requireNonNull(uid, "uid");
  }

  /**
   * A validated RTC service. Every privilege named in {@code lifetimes} is packed, 0 included
   * (0 = no limit of its own); each lifetime must be 0..86400 s.
   */
  public static RtcService of(String channelName, RtcUser user, Map<RtcPrivilege, Long> lifetimes) {
    AgoraValidation.channelName(channelName);
    if (user == null) {
      throw new InvalidTokenInputException("user", "USER_MISSING", "give a uid or a user account");
    }
    if (lifetimes == null) {
      throw new InvalidTokenInputException("privilege_lifetimes", "NO_PRIVILEGES", "at least one RTC privilege is required");
    }
    int[] keys = new int[lifetimes.size()];
    long[] values = new long[keys.length];
    int n = 0;
    for (Map.Entry<RtcPrivilege, Long> e : lifetimes.entrySet()) {
      RtcPrivilege privilege = e.getKey();
      Long seconds = e.getValue();
      if (privilege == null) {
        throw new InvalidTokenInputException("privilege_lifetimes", "NO_PRIVILEGES", "a privilege must not be null");
      }
      if (seconds == null || seconds < 0 || seconds > AgoraLimits.MAX_LIFETIME_SECONDS) {
        // The field name is built only for the error, never on the hot path.
        String field = "privilege_lifetimes." + privilege.wireName() + "_seconds";
        if (seconds == null) {
          throw new InvalidTokenInputException(field, "PRIVILEGE_LIFETIME_MISSING", "is required (0 = no limit of its own)");
        }
        AgoraValidation.privilegeLifetime(field, seconds);
      }
      keys[n] = privilege.code();
      values[n++] = seconds;
    }
    if (n == 0) {
      throw new InvalidTokenInputException(
          "privilege_lifetimes", "NO_PRIVILEGES", "at least one RTC privilege is required");
    }
    PrivilegeMap privileges = PrivilegeMap.of(keys, values, n);
    return new RtcService(privileges, channelName, user.wireText());
  }

  /**
   * A validated RTC service with the privileges and lifetimes (each 0..86400 s) of {@code
   * privileges}: the role path, without a map of boxed lifetimes (a {@link
   * PrivilegeMap} is immutable, so callers may keep one per role and lifetime).
   */
  public static RtcService withPrivileges(String channelName, RtcUser user, PrivilegeMap privileges) {
    AgoraValidation.channelName(channelName);
    if (user == null) {
      throw new InvalidTokenInputException("user", "USER_MISSING", "give a uid or a user account");
    }
    if (privileges == null || privileges.count() == 0) {
      throw new InvalidTokenInputException(
          "privilege_lifetimes", "NO_PRIVILEGES", "at least one RTC privilege is required");
    }
    for (int i = 0; i < privileges.count(); i++) {
      int key = privileges.keyAt(i);
      if (key < RtcPrivilege.JOIN_CHANNEL.code() || key > RtcPrivilege.PUBLISH_DATA_STREAM.code()) {
        throw new InvalidTokenInputException("privilege_lifetimes", "NO_PRIVILEGES", "not an RTC privilege");
      }
      long seconds = privileges.valueAt(i);
      if (seconds < 0 || seconds > AgoraLimits.MAX_LIFETIME_SECONDS) {
        AgoraValidation.privilegeLifetime(AgoraValidation.FIELD_PRIVILEGE_LIFETIME, seconds);
      }
    }
    return new RtcService(privileges, channelName, user.wireText());
  }

  @Override
  public int type() {
    return ServiceType.RTC;
  }

  @Override
  public String serviceName() {
    return "rtc";
  }

  @Override
  public String privilegeName(int key) {
    return RtcPrivilege.ofCode(key).map(RtcPrivilege::wireName).orElseGet(() -> Privileges.unnamed(key));
  }

  @Override
  public void writeFields(LittleEndianWriter out) {
    out.string(channelName).string(uid);
  }
}
