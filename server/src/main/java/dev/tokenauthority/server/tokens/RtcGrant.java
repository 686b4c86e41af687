package dev.tokenauthority.server.tokens;

import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.server.policy.RtcRoleRule;
import dev.tokenauthority.server.policy.TokenKind;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * An Agora RTC token.
 *
 * @param user the uid as decimal text ("" or "0" for uid 0) or the account, see {@link #isAccount}
 * @param privilegeSeconds RTC privilege code (1-4) → lifetime in seconds from issue, 0 = no own limit
 * @param rtmUserId the RTM login packed into the same token, if any ("007" only)
 * @param rtmLoginSeconds that RTM login's lifetime from issue (0 = no own limit), as read back from
 *     a token for renewal; empty = expires with the token, as every fresh issue
 */
public record RtcGrant(
    String channel, String user, boolean isAccount, Map<Integer, Long> privilegeSeconds,
    Optional<String> rtmUserId, OptionalLong rtmLoginSeconds, TokenFormat format) implements Grant {

  public static final Set<Integer> PUBLISHER = Set.of(1, 2, 3, 4);
  public static final Set<Integer> SUBSCRIBER = Set.of(1);

  public RtcGrant {
    privilegeSeconds = Collections.unmodifiableMap(new TreeMap<>(privilegeSeconds));
    if (rtmLoginSeconds.isPresent() && rtmUserId.isEmpty()) {
      throw new IllegalArgumentException("an RTM login lifetime without an RTM login");
    }
  }

  /** An RTM login (if any) that expires with the token. */
  public RtcGrant(String channel, String user, boolean isAccount, Map<Integer, Long> privilegeSeconds,
      Optional<String> rtmUserId, TokenFormat format) {
    this(channel, user, isAccount, privilegeSeconds, rtmUserId, OptionalLong.empty(), format);
  }

  @Override
  public TokenKind kind() {
    return TokenKind.RTC;
  }

  @Override
  public String subject() {
    return user;
  }

  /** The role the privilege set amounts to: publisher, subscriber, or custom for anything else. */
  public RtcRoleRule role() {
    Set<Integer> codes = privilegeSeconds.keySet();
    if (codes.equals(PUBLISHER)) {
      return RtcRoleRule.PUBLISHER;
    }
    return codes.equals(SUBSCRIBER) ? RtcRoleRule.SUBSCRIBER : RtcRoleRule.CUSTOM;
  }
}
