package dev.tokenauthority.server.tokens;

import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.errors.ApiException;

/**
 * Resolves an Agora Chat user name to the user's UUID with the Chat REST API, registering the user
 * when asked and allowed. Implemented by the vendor bridge (issue 4); until then
 * {@link #UNAVAILABLE} answers UNIMPLEMENTED. Runs on a handler thread: honour the gRPC Context
 * deadline for outbound calls and report failures as {@link ApiException}.
 */
public interface ChatUserDirectory {
  /**
   * @param register create the user when missing (the handler has already checked that the
   *     caller's policy allows registration)
   * @return the user's UUID
   */
  String resolveUuid(AgoraApp app, String userName, boolean register);

  ChatUserDirectory UNAVAILABLE = (app, userName, register) -> {
    throw ApiException.unimplemented("agora_user.user_name", "VENDOR_BRIDGE_NOT_AVAILABLE",
        "chat tokens by user name need the Agora Chat REST bridge, which this server does not have yet;"
            + " send agora_user.user_uuid instead");
  };
}
