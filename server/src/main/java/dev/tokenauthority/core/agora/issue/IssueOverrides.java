package dev.tokenauthority.core.agora.issue;

import dev.tokenauthority.core.agora.AgoraValidation;
import java.util.OptionalLong;

/**
 * Fixed issue time and salt, for reproducing vendor vectors and for the CLI's --issued-at and
 * --salt. Normal issuing leaves both empty: the issuer's clock and random source decide.
 */
public record IssueOverrides(OptionalLong issuedAt, OptionalLong salt) {
  public static final IssueOverrides NONE = new IssueOverrides(OptionalLong.empty(), OptionalLong.empty());

  public IssueOverrides {
    issuedAt.ifPresent(AgoraValidation::issuedAt);
    salt.ifPresent(AgoraValidation::salt);
  }

  /** A fixed issue time (the server's per-call clock reading); the salt stays random. */
  public static IssueOverrides at(long issuedAtEpochSeconds) {
    return new IssueOverrides(OptionalLong.of(issuedAtEpochSeconds), OptionalLong.empty());
  }

  public static IssueOverrides of(long issuedAtEpochSeconds, long salt) {
    return new IssueOverrides(OptionalLong.of(issuedAtEpochSeconds), OptionalLong.of(salt));
  }
}
