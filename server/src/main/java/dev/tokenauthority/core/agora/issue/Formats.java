package dev.tokenauthority.core.agora.issue;

import dev.tokenauthority.core.agora.AgoraValidation;
import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.TokenFormat;

final class Formats {
  private Formats() {}

  /** Null means the default, "007"; only the two Agora formats are accepted. */
  static TokenFormat agora(TokenFormat format) {
    if (format == null) {
      return TokenFormat.AGORA_007;
    }
    if (format != TokenFormat.AGORA_007 && format != TokenFormat.AGORA_006) {
      throw new InvalidTokenInputException("format", "FORMAT_UNSUPPORTED", "must be agora-007 or agora-006");
    }
    return format;
  }

  /**
   * A token lifetime: 1 to 86400 s, and for "006" also 0, the vendor's default (seed 001's
   * {@code privilegeExpiredTs = 0}, seed 002's RTM parameter that "does not take effect"): every
   * privilege packed with 0, the token valid for the vendor's 24 h from issue, as every 006 token
   * is ({@code ts = issued + 86400}).
   */
  static long lifetime(long seconds, TokenFormat format) {
    if (seconds == 0 && format == TokenFormat.AGORA_006) {
      return 0;
    }
    return AgoraValidation.tokenLifetime(AgoraValidation.FIELD_LIFETIME, seconds);
  }
}
