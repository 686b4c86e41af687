package dev.tokenauthority.server.limits;

/**
 * Hears of every call the server's admission refused or cut short (the reasons SERVER_BUSY,
 * CALLER_BUSY, RATE_LIMITED, REQUEST_MESSAGE_TIMEOUT), e.g. to count them in metrics. Called on
 * transport, handler or timer threads: implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface AdmissionListener {
  /** The caller of a refusal made before the caller is known (SERVER_BUSY). */
  String UNIDENTIFIED = "(unidentified)";

  AdmissionListener NONE = (reason, caller) -> {};

  void refused(String reason, String caller);
}
