package dev.tokenauthority.server.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Writes one JSON line per audited call to the logger {@value #LOGGER_NAME}. */
public final class AuditLog {
  public static final String LOGGER_NAME = "tokenauthority.audit";
  private static final Logger LOG = Logger.getLogger(LOGGER_NAME);
  /** Streaming writes: the fields are fixed, so no map and no data binding on the request path. */
  private static final JsonFactory JSON = new JsonFactory();

  private final Clock clock;

  public AuditLog(Clock clock) {
    this.clock = clock;
  }

  public void record(AuditEvent e) {
    if (LOG.isLoggable(Level.INFO)) {
      LOG.info(toJson(e));
    }
  }

  String toJson(AuditEvent e) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("time", clock.instant().toString());
      g.writeStringField("caller", e.caller());
      g.writeStringField("rpc", e.rpc());
      writeIfPresent(g, "app", e.app());
      writeIfPresent(g, "kind", e.kind());
      writeIfPresent(g, "subject", e.subject());
      if (e.lifetimeSeconds().isPresent()) {
        g.writeNumberField("lifetime_s", e.lifetimeSeconds().get());
      }
      g.writeStringField("outcome", e.outcome());
      g.writeStringField("code", e.code());
      writeIfPresent(g, "reason", e.reason());
      writeIfPresent(g, "token_sha256_16", e.tokenFingerprint());
      writeIfPresent(g, "renewed_from_sha256_16", e.renewedFromFingerprint());
      if (!e.vendorCalls().isEmpty()) {
        g.writeArrayFieldStart("vendor_calls");
        for (VendorCall c : e.vendorCalls()) {
          g.writeStartObject();
          g.writeStringField("call", c.call());
          if (c.status().isPresent()) {
            g.writeNumberField("status", c.status().getAsInt());
          }
          g.writeStringField("outcome", c.outcome());
          g.writeNumberField("elapsed_ms", c.elapsedMillis());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      if (e.vendorCallsOmitted() > 0) {
        g.writeNumberField("vendor_calls_omitted", e.vendorCallsOmitted());
      }
      g.writeEndObject();
    } catch (IOException impossible) {
      throw new UncheckedIOException("a StringWriter does not fail", impossible);
    }
    return out.toString();
  }

  private static void writeIfPresent(JsonGenerator g, String name, Optional<String> value) throws IOException {
    if (value.isPresent()) {
      g.writeStringField(name, value.get());
    }
  }
}
