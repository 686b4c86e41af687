package dev.tokenauthority.core.agora.issue;

import dev.tokenauthority.core.agora.AgoraLimits;
import dev.tokenauthority.core.agora.AgoraValidation;
import java.util.OptionalLong;

/**
 * Fixed issue time and salt, for reproducing vendor vectors and for the CLI's --issued-at and
 * --salt. Normal issuing leaves both empty: the issuer's clock and random source decide.
 *
 * <p>{@code privilegeExpiredTs} is the vendor's own "006" builder parameter, an absolute unix time
 * packed as is into every privilege (0 = the vendor default), so that the CLI can reproduce any
 * token the vendor's builder makes, including privilege times more than 24 h ahead, which the
 * vendor caps at the token's 24 h (seed 001). "006" only; the issuer refuses it for "007".
 */
public record IssueOverrides(OptionalLong issuedAt, OptionalLong salt, OptionalLong privilegeExpiredTs) {
  public static final IssueOverrides NONE =
      new IssueOverrides(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());

  public IssueOverrides {
    issuedAt.ifPresent(AgoraValidation::issuedAt);
    salt.ifPresent(AgoraValidation::salt);
    privilegeExpiredTs.ifPresent(t -> {
      if (t < 0 || t > AgoraLimits.MAX_U32) { // callers (the CLI) check their input first
        throw new IllegalArgumentException("privilegeExpiredTs must be a u32");
      }
    });
  }

  public IssueOverrides(OptionalLong issuedAt, OptionalLong salt) {
    this(issuedAt, salt, OptionalLong.empty());
  }

  /** A fixed issue time (the server's per-call clock reading); the salt stays random. */
  public static IssueOverrides at(long issuedAtEpochSeconds) {
    return new IssueOverrides(OptionalLong.of(issuedAtEpochSeconds), OptionalLong.empty());
  }

  public static IssueOverrides of(long issuedAtEpochSeconds, long salt) {
    return new IssueOverrides(OptionalLong.of(issuedAtEpochSeconds), OptionalLong.of(salt));
  }

  /** The same overrides with the "006" builder's absolute privilege expiry. */
  public IssueOverrides withPrivilegeExpiredTs(long unixSeconds) {
    return new IssueOverrides(issuedAt, salt, OptionalLong.of(unixSeconds));
  }
}
