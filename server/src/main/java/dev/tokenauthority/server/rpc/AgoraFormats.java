package dev.tokenauthority.server.rpc;

import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.server.errors.ApiException;

/** The request's format field for Agora tokens: 007 (default) or 006. */
final class AgoraFormats {
  private AgoraFormats() {}

  static TokenFormat of(dev.tokenauthority.api.v1.TokenFormat f) {
    return switch (f) {
      case TOKEN_FORMAT_UNSPECIFIED, TOKEN_FORMAT_AGORA_007 -> TokenFormat.AGORA_007;
      case TOKEN_FORMAT_AGORA_006 -> TokenFormat.AGORA_006;
      default -> throw ApiException.invalidArgument("format", "FORMAT_NOT_SUPPORTED",
          "Agora tokens are TOKEN_FORMAT_AGORA_007 or TOKEN_FORMAT_AGORA_006");
    };
  }
}
