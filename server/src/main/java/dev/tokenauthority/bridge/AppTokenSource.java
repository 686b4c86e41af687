package dev.tokenauthority.bridge;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** Where a bridge gets the vendor app token it sends as Bearer; told when the vendor refused one. */
public interface AppTokenSource {
  default CompletableFuture<String> token(Instant deadline) {
    return token(deadline, VendorCallListener.NONE);
  }

  /** @param trace told of the vendor calls made to get the token (none when it is cached) */
  CompletableFuture<String> token(Instant deadline, VendorCallListener trace);

  /** The vendor answered 401 to this token: drop it if it is still the cached one. */
  void invalidate(String token);
}
