package dev.tokenauthority.bridge.agorachat;

import dev.tokenauthority.bridge.VendorCallListener;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves Agora Chat user names to the UUIDs chat user tokens are bound to, for one app.
 *
 * <p>The future fails with {@link dev.tokenauthority.bridge.VendorCallException}: CHAT_USER_NOT_FOUND
 * (absent and not registered), CHAT_USER_BANNED, CHAT_USER_NAME_INVALID, VENDOR_* for vendor and
 * transport trouble, VENDOR_DEADLINE_EXCEEDED when {@code deadline} passes first. It never completes
 * later than the deadline and holds no thread while waiting.
 */
public interface ChatUserDirectory {
  /**
   * @param userName the chat user name (case-insensitive)
   * @param registerIfMissing register the user with a random password when absent; the caller has
   *     already checked policy
   * @param deadline the caller's deadline (the gRPC call's)
   */
  default CompletableFuture<ChatUser> resolveUuid(String userName, boolean registerIfMissing, Instant deadline) {
    return resolveUuid(userName, registerIfMissing, deadline, VendorCallListener.NONE);
  }

  /**
   * As above; {@code trace} hears of every vendor call this request starts. A request answered from
   * the cache, or joining another request's lookup, starts none.
   */
  CompletableFuture<ChatUser> resolveUuid(
      String userName, boolean registerIfMissing, Instant deadline, VendorCallListener trace);
}
