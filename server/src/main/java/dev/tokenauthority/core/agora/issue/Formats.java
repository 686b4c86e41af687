package dev.tokenauthority.core.agora.issue;

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
}
