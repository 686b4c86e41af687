package dev.tokenauthority.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Writes one JSON line per audited call to the logger {@value #LOGGER_NAME}. */
public final class AuditLog {
  public static final String LOGGER_NAME = "tokenauthority.audit";
  private static final Logger LOG = Logger.getLogger(LOGGER_NAME);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;

  public AuditLog(Clock clock) {
    this.clock = clock;
  }

  public void record(AuditEvent e) {
    if (!LOG.isLoggable(Level.INFO)) {
      return;
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", clock.instant().toString());
    line.put("caller", e.caller());
    line.put("rpc", e.rpc());
    e.app().ifPresent(v -> line.put("app", v));
    e.kind().ifPresent(v -> line.put("kind", v));
    e.subject().ifPresent(v -> line.put("subject", v));
    e.lifetimeSeconds().ifPresent(v -> line.put("lifetime_s", v));
    line.put("outcome", e.outcome());
    line.put("code", e.code());
    e.reason().ifPresent(v -> line.put("reason", v));
    e.tokenFingerprint().ifPresent(v -> line.put("token_sha256_16", v));
    try {
      LOG.info(JSON.writeValueAsString(line));
    } catch (JsonProcessingException impossible) {
      LOG.warning("audit line could not be written for rpc " + e.rpc());
    }
  }
}
