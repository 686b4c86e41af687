package dev.tokenauthority.server.audit;

import java.util.OptionalInt;

/**
 * One vendor REST attempt made for an audited call: which call, what the vendor answered and how
 * it ended. Names and numbers only: no URL, user name, token, password or secret.
 *
 * @param call the bridge's operation name ("chat.get_user", "easemob.inherit_grant", ...)
 * @param status the vendor's HTTP status, empty when no answer came
 * @param outcome "OK", "RETRY", "HTTP_ERROR", "TIMEOUT", "DEADLINE_EXCEEDED" or "TRANSPORT_ERROR"
 */
public record VendorCall(String call, OptionalInt status, String outcome, long elapsedMillis) {}
