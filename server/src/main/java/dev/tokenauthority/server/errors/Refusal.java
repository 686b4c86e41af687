package dev.tokenauthority.server.errors;

/**
 * A call an interceptor refused before any handler ran (no or expired client certificate, no
 * policy, RPC not allowed). Interceptors report it so the audit log has a line for every denial.
 *
 * @param caller the caller's identity, or {@link #UNAUTHENTICATED} when the call carried none
 */
public record Refusal(String caller, String rpc, ApiException error) {
  public static final String UNAUTHENTICATED = "(unauthenticated)";
}
