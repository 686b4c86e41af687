package dev.tokenauthority.bridge;

import java.time.Duration;

/**
 * One attempt of one vendor call, for audit and metrics. Holds no token, password or secret:
 * only what was called and how it ended.
 *
 * @param operation stable name such as "chat.get_user" or "easemob.password_grant"
 * @param attempt 1 for the first send
 * @param httpStatus the vendor's status, or -1 when no answer came
 * @param outcome "OK", "RETRY", "HTTP_ERROR", "TIMEOUT", "DEADLINE_EXCEEDED" or "TRANSPORT_ERROR"
 */
public record VendorCallEvent(
    Vendor vendor, String operation, int attempt, int httpStatus, String outcome, Duration elapsed) {}
