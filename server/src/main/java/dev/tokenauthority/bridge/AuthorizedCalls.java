package dev.tokenauthority.bridge;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Calls that carry an app token: a 401 drops the cached token and retries once with a fresh one. */
public final class AuthorizedCalls {
  private AuthorizedCalls() {}

  public static CompletableFuture<VendorResponse> send(
      VendorHttp http, AppTokenSource tokens, Function<String, VendorRequest> build, Instant deadline) {
    return send(http, tokens, build, deadline, VendorCallListener.NONE);
  }

  /**
   * Sends {@code build.apply(token)}; on 401 invalidates that token, fetches another and sends once
   * more. The second answer is returned whatever it is (a second 401 is the caller's to map).
   * {@code trace} hears of every attempt, app token fetches included.
   */
  public static CompletableFuture<VendorResponse> send(
      VendorHttp http, AppTokenSource tokens, Function<String, VendorRequest> build, Instant deadline,
      VendorCallListener trace) {
    return sendOnce(http, tokens, build, deadline, trace).thenCompose(first -> {
      if (first.response().status() != 401) {
        return CompletableFuture.completedFuture(first.response());
      }
      tokens.invalidate(first.token());
      return sendOnce(http, tokens, build, deadline, trace).thenApply(TokenAndResponse::response);
    });
  }

  private record TokenAndResponse(String token, VendorResponse response) {}

  private static CompletableFuture<TokenAndResponse> sendOnce(
      VendorHttp http, AppTokenSource tokens, Function<String, VendorRequest> build, Instant deadline,
      VendorCallListener trace) {
    return tokens.token(deadline, trace).thenCompose(token ->
        http.send(build.apply(token), deadline, trace).thenApply(r -> new TokenAndResponse(token, r)));
  }
}
