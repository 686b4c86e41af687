package dev.tokenauthority.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.tokenauthority.server.LogSetup;
import dev.tokenauthority.server.config.ObservabilityConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The audit stream: its own file, one line per record, and the overflow policies. */
class AuditWriterTest {
  private final Logger auditLogger =
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(AuditLog.LOGGER_NAME);
  private final Gate gate = new Gate();

  @AfterEach
  void restore() {
    gate.open.countDown();
    auditLogger.detachAppender(gate);
    LogSetup.unrouteAudit();
  }

  @Test
  void theFileSinkHoldsExactlyTheAuditLinesAndNothingElse(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("audit.jsonl");
    LogSetup.routeAudit(new ObservabilityConfig.Audit(ObservabilityConfig.AuditSink.FILE,
        java.util.Optional.of(new ObservabilityConfig.AuditFile(file, 1024 * 1024, 7)), 64,
        ObservabilityConfig.AuditOverflow.BLOCK));
    AuditWriter w = new AuditWriter(64, AuditWriter.Overflow.BLOCK);
    for (int i = 0; i < 200; i++) {
      w.write("{\"n\":" + i + "}");
    }
    LoggerFactory.getLogger(AuditWriterTest.class).info("an ordinary log line must not reach the audit file");
    assertThat(w.awaitWritten(Duration.ofSeconds(30))).isTrue();
    w.close();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(200);
    for (int i = 0; i < 200; i++) {
      assertThat(lines.get(i)).isEqualTo("{\"n\":" + i + "}");
    }
    assertThat(w.dropped()).isZero();
  }

  @Test
  void dropCountsEveryLineThatFindsTheQueueFull() throws Exception {
    holdTheWriter();
    AuditWriter w = new AuditWriter(16, AuditWriter.Overflow.DROP);
    w.write("first"); // taken by the writer thread, which then waits in the appender
    assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 16 + 5; i++) {
      w.write("line " + i);
    }
    assertThat(w.dropped()).isEqualTo(5);
    assertThat(w.queued()).isEqualTo(16);
    gate.open.countDown();
    assertThat(w.awaitWritten(Duration.ofSeconds(30))).isTrue();
    w.close();
    assertThat(gate.lines).hasSize(1 + 16).startsWith("first", "line 0").endsWith("line 15");
  }

  @Test
  void blockMakesTheCallerWaitAndLosesNothing() throws Exception {
    holdTheWriter();
    AuditWriter w = new AuditWriter(16, AuditWriter.Overflow.BLOCK);
    w.write("first");
    assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 16; i++) {
      w.write("line " + i);
    }
    Thread caller = new Thread(() -> w.write("line 16"), "blocked-caller");
    caller.start();
    while (caller.getState() != Thread.State.WAITING) { // parked on the full queue
      assertThat(caller.isAlive()).as("the caller must wait, not return").isTrue();
      Thread.onSpinWait();
    }
    gate.open.countDown();
    caller.join(30_000);
    assertThat(w.awaitWritten(Duration.ofSeconds(30))).isTrue();
    w.close();
    assertThat(w.dropped()).isZero();
    assertThat(gate.lines).hasSize(1 + 17).endsWith("line 16");
  }

  @Test
  void linesASinkFailsToWriteAreCountedLoggedOnceAndWritingResumesWhenItWorksAgain() throws Exception {
    // An OutputStreamAppender over a stream that can be made to fail, as a full disk makes a file fail.
    FailingStream stream = new FailingStream();
    ch.qos.logback.core.OutputStreamAppender<ILoggingEvent> sink = new ch.qos.logback.core.OutputStreamAppender<>();
    sink.setContext(auditLogger.getLoggerContext());
    sink.setName("failing");
    sink.setEncoder(LogSetup.patternEncoder(auditLogger.getLoggerContext(), "%msg%n"));
    sink.setOutputStream(stream);
    sink.start();
    auditLogger.setAdditive(false);
    auditLogger.addAppender(sink);
    List<String> logged = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> log = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        logged.add(e.getLevel() + " " + e.getFormattedMessage());
      }
    };
    log.setContext(auditLogger.getLoggerContext());
    log.start();
    Logger writerLogger = auditLogger.getLoggerContext().getLogger(AuditWriter.class);
    writerLogger.addAppender(log);
    try {
      AuditWriter w = new AuditWriter(64, AuditWriter.Overflow.BLOCK);
      w.write("ok 1");
      assertThat(w.awaitWritten(Duration.ofSeconds(30))).isTrue();
      stream.failing = true;
      for (int i = 0; i < 5; i++) {
        w.write("unwritten-line " + i);
      }
      assertThat(w.awaitWritten(Duration.ofSeconds(30))).isTrue();
      assertThat(w.failed()).isEqualTo(5);
      assertThat(w.dropped()).isZero();
      assertThat(logged).hasSize(1);
      assertThat(logged.get(0)).startsWith("ERROR audit sink stopped writing (")
          .contains("disk full (test)", "reason=\"write_failed\"").doesNotContain("unwritten-line");

      stream.failing = false;
      w.write("ok 2");
      assertThat(w.awaitWritten(Duration.ofSeconds(30))).isTrue();
      w.close();
      assertThat(w.failed()).isEqualTo(5);
      assertThat(stream.written()).isEqualTo("ok 1\nok 2\n");
      assertThat(logged).hasSize(2);
      assertThat(logged.get(1)).isEqualTo("WARN audit sink writing again; 5 audit lines were lost while it failed");
    } finally {
      writerLogger.detachAppender(log);
      auditLogger.detachAppender(sink);
    }
  }

  /**
   * The stdout sink passes each batch on in one write, not one per line, and loses or reorders
   * nothing. The writer is held inside its first line while 100 more queue up, so the second
   * batch holds them all whatever the timing.
   */
  @Test
  void theStdoutSinkWritesABatchAtOnce() throws Exception {
    java.io.PrintStream original = System.out;
    CountingStream captured = new CountingStream();
    System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      LogSetup.routeAudit(new ObservabilityConfig.Audit(ObservabilityConfig.AuditSink.STDOUT,
          java.util.Optional.empty(), 256, ObservabilityConfig.AuditOverflow.BLOCK));
      holdTheWriter();
      AuditWriter w = new AuditWriter(256, AuditWriter.Overflow.BLOCK);
      w.write("{\"n\":0}");
      assertThat(gate.entered.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i <= 100; i++) {
        w.write("{\"n\":" + i + "}");
      }
      gate.open.countDown();
      assertThat(w.awaitWritten(Duration.ofSeconds(30))).isTrue();
      w.close();
      List<String> lines = captured.text().lines().toList();
      assertThat(lines).hasSize(101);
      for (int i = 0; i <= 100; i++) {
        assertThat(lines.get(i)).isEqualTo("{\"n\":" + i + "}");
      }
      assertThat(captured.writes).as("writes for 101 lines").isLessThanOrEqualTo(3);
    } finally {
      System.setOut(original);
    }
  }

  /** Keeps what it is given and counts the writes that gave it. */
  private static final class CountingStream extends java.io.OutputStream {
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    volatile int writes;

    @Override
    public synchronized void write(int b) {
      writes++;
      bytes.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes++;
      bytes.write(b, off, len);
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  /** Writes to memory, or throws as a full disk would while {@link #failing}. */
  private static final class FailingStream extends java.io.OutputStream {
    volatile boolean failing;
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) throws java.io.IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
      if (failing) {
        throw new java.io.IOException("disk full (test)");
      }
      bytes.write(b, off, len);
    }

    synchronized String written() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  /** Sends audit lines to {@link #gate} only, which holds the writer thread until opened. */
  private void holdTheWriter() {
    gate.setContext(auditLogger.getLoggerContext());
    gate.start();
    auditLogger.setAdditive(false);
    auditLogger.addAppender(gate);
  }

  private static final class Gate extends AppenderBase<ILoggingEvent> {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent e) {
      entered.countDown();
      try {
        open.await();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      lines.add(e.getFormattedMessage());
    }
  }
}
