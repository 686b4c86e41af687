package dev.tokenauthority.server.observability;

/**
 * Told of every call refused before it reached a handler for capacity reasons (SERVER_BUSY today;
 * per-caller caps and rate limits too). Those refusals happen on the transport thread and are not
 * audited, so this is where they are counted.
 */
@FunctionalInterface
public interface AdmissionRefusals {
  /**
   * @param reason the ErrorInfo reason sent to the caller (e.g. SERVER_BUSY)
   * @param caller the caller's identity when known, else null (bounded to configured callers)
   */
  void admissionRefused(String reason, String caller);

  AdmissionRefusals NONE = (reason, caller) -> {};
}
