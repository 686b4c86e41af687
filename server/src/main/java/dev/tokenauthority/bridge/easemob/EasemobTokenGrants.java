package dev.tokenauthority.bridge.easemob;

import dev.tokenauthority.bridge.VendorCallListener;
import dev.tokenauthority.core.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Easemob user tokens granted by the REST API (seed 004), for one app. The dynamic "dt-" token is
 * not here: it is built locally by the token core.
 *
 * <p>Futures fail with {@link dev.tokenauthority.bridge.VendorCallException} (see
 * docs/vendor-errors.md), never later than {@code deadline}, and hold no thread while waiting.
 */
public interface EasemobTokenGrants {
  /**
   * grant_type=password. The password goes into the request body to Easemob and nowhere else.
   *
   * @param ttl the token lifetime; sent in the app's {@link TtlUnit}, at least 1
   */
  default CompletableFuture<EasemobUserToken> passwordGrant(
      String userName, Secret password, Duration ttl, Instant deadline) {
    return passwordGrant(userName, password, ttl, deadline, VendorCallListener.NONE);
  }

  /** As above; {@code trace} hears of every vendor call made for this grant. */
  CompletableFuture<EasemobUserToken> passwordGrant(
      String userName, Secret password, Duration ttl, Instant deadline, VendorCallListener trace);

  /**
   * grant_type=inherit with the app token as Bearer.
   *
   * @param autoCreateUser let Easemob create the user when absent; the caller has checked policy.
   *     A 409 concurrent_operation_error is then retried once before failing ABORTED.
   */
  default CompletableFuture<EasemobUserToken> inheritGrant(
      String userName, boolean autoCreateUser, Duration ttl, Instant deadline) {
    return inheritGrant(userName, autoCreateUser, ttl, deadline, VendorCallListener.NONE);
  }

  /** As above; {@code trace} hears of every vendor call made for this grant, app token included. */
  CompletableFuture<EasemobUserToken> inheritGrant(
      String userName, boolean autoCreateUser, Duration ttl, Instant deadline, VendorCallListener trace);
}
