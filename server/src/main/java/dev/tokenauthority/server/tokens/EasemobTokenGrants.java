package dev.tokenauthority.server.tokens;

import dev.tokenauthority.server.config.EasemobApp;
import dev.tokenauthority.server.errors.ApiException;
import java.time.Duration;
import java.time.Instant;

/**
 * Easemob user tokens granted by the Easemob REST API (password and inherit grants). Implemented by
 * the vendor bridge (issue 4); until then {@link #UNAVAILABLE} answers UNIMPLEMENTED. Runs on a
 * handler thread: honour the gRPC Context deadline and report failures as {@link ApiException}.
 * The password goes to Easemob and nowhere else (no logs, no exception messages).
 */
public interface EasemobTokenGrants {
  Granted passwordGrant(EasemobApp app, String userId, String password, Duration ttl);

  /** @param autoCreate create the user when absent (policy already checked by the handler) */
  Granted inheritGrant(EasemobApp app, String userId, boolean autoCreate, Duration ttl);

  /** An opaque user token from the vendor. */
  record Granted(String accessToken, Instant issuedAt, Instant expiresAt, String userUuid) {
    @Override
    public String toString() {
      return "Granted[user=" + userUuid + ", expiresAt=" + expiresAt + "]";
    }
  }

  EasemobTokenGrants UNAVAILABLE = new EasemobTokenGrants() {
    @Override
    public Granted passwordGrant(EasemobApp app, String userId, String password, Duration ttl) {
      throw unavailable();
    }

    @Override
    public Granted inheritGrant(EasemobApp app, String userId, boolean autoCreate, Duration ttl) {
      throw unavailable();
    }

    private ApiException unavailable() {
      return ApiException.unimplemented("easemob_user.grant", "VENDOR_BRIDGE_NOT_AVAILABLE",
          "Easemob REST grants need the Easemob bridge, which this server does not have yet;"
              + " use EASEMOB_GRANT_DYNAMIC");
    }
  };
}
