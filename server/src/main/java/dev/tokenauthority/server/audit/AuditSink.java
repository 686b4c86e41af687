package dev.tokenauthority.server.audit;

/** Where formatted audit lines (one JSON object each, no newline) go. */
@FunctionalInterface
public interface AuditSink {
  void write(String jsonLine);
}
