package dev.tokenauthority.bridge.easemob;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A user token granted by the Easemob REST API. {@link #toString()} hides the token.
 *
 * @param accessToken the opaque token to hand to the client SDK
 * @param expiresIn the lifetime Easemob granted, already converted from the app's ttl unit
 * @param expiresAt when it stops working, empty when Easemob says it never expires (expires_in 0)
 * @param userUuid the user's UUID at Easemob
 * @param userName the user name as Easemob stores it
 */
public record EasemobUserToken(
    String accessToken, Duration expiresIn, Optional<Instant> expiresAt, String userUuid, String userName) {

  @Override
  public String toString() {
    return "EasemobUserToken[user=" + userName + ", uuid=" + userUuid + ", expiresIn=" + expiresIn + "]";
  }
}
