package dev.tokenauthority.server.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.CharArrayWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Turns each audited call into one JSON line for its {@link AuditSink} (in the server an {@link
 * AuditWriter}, which writes to the logger {@value #LOGGER_NAME} off the request thread), and tells
 * the observer (metrics) about the call.
 */
public final class AuditLog {
  public static final String LOGGER_NAME = "tokenauthority.audit";
  /** Streaming writes: the fields are fixed, so no map and no data binding on the request path. */
  private static final JsonFactory JSON = new JsonFactory();
  /**
   * One generator per thread, writing line after line into one buffer: setting a generator up (its
   * I/O context, buffers and writer) for every line cost more than writing the line.
   */
  private static final ThreadLocal<LineWriter> LINES = ThreadLocal.withInitial(LineWriter::new);

  private final Clock clock;
  private final AuditSink sink;
  private final Consumer<AuditEvent> observer;

  /** Writes synchronously to the logger {@value #LOGGER_NAME} (tools and tests). */
  public AuditLog(Clock clock) {
    this(clock, LoggerFactory.getLogger(LOGGER_NAME)::info, e -> {});
  }

  public AuditLog(Clock clock, AuditSink sink, Consumer<AuditEvent> observer) {
    this.clock = Objects.requireNonNull(clock);
    this.sink = Objects.requireNonNull(sink);
    this.observer = Objects.requireNonNull(observer);
  }

  public void record(AuditEvent e) {
    try {
      observer.accept(e);
    } catch (RuntimeException ignored) {
      // Metrics must never cost a call its audit line.
    }
    sink.write(toJson(e));
  }

  String toJson(AuditEvent e) {
    LineWriter line = LINES.get();
    try {
      write(line.generator, e);
      return line.take();
    } catch (IOException | RuntimeException failed) {
      LINES.remove(); // the generator may be half-way through an object: the next line gets a new one
      if (failed instanceof IOException impossible) {
        throw new UncheckedIOException("a CharArrayWriter does not fail", impossible);
      }
      throw (RuntimeException) failed;
    }
  }

  private void write(JsonGenerator g, AuditEvent e) throws IOException {
    g.writeStartObject();
    g.writeStringField("time", AuditTime.format(clock.instant()));
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
  }

  private static void writeIfPresent(JsonGenerator g, String name, Optional<String> value) throws IOException {
    if (value.isPresent()) {
      g.writeStringField(name, value.get());
    }
  }

  /** A generator that is never closed and the buffer it writes to; lines are separated by nothing. */
  private static final class LineWriter {
    final CharArrayWriter buffer = new CharArrayWriter(512);
    final JsonGenerator generator;

    LineWriter() {
      try {
        generator = JSON.createGenerator(buffer);
      } catch (IOException impossible) {
        throw new UncheckedIOException(impossible);
      }
      generator.setRootValueSeparator(null);
    }

    /** The line written since the last take. */
    String take() throws IOException {
      generator.flush();
      String line = buffer.toString();
      buffer.reset();
      return line;
    }
  }
}
