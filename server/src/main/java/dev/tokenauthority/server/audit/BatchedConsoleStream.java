package dev.tokenauthority.server.audit;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The audit appender's stream for the stdout and stderr sinks: it collects the lines the audit
 * writer hands over and passes them to {@code System.out} or {@code System.err} in one write when
 * flushed, which the writer does after each batch ({@link AuditWriter}). Logback's console
 * appender writes through a {@code PrintStream} that flushes every line: one write(2) per audited
 * call, more system calls than the call's own network I/O. Only whole lines are passed on (a line
 * is written to this stream in one piece), so they never interleave with the ordinary log on
 * stderr. The standard stream is looked up at each flush, as Logback's console target does.
 */
public final class BatchedConsoleStream extends OutputStream {
  /** Beyond this, the batch so far is passed on before the next line is taken. */
  private static final int PASS_ON_BYTES = 64 * 1024;

  private final boolean stdout;
  private byte[] buf = new byte[16 * 1024];
  private int size;

  /** @param stdout {@code System.out}, else {@code System.err} */
  public BatchedConsoleStream(boolean stdout) {
    this.stdout = stdout;
  }

  @Override
  public synchronized void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    if (size > 0 && size + len > PASS_ON_BYTES) {
      flush();
    }
    if (size + len > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + len));
    }
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  @Override
  public synchronized void flush() {
    if (size == 0) {
      return;
    }
    PrintStream target = stdout ? System.out : System.err;
    target.write(buf, 0, size);
    target.flush();
    size = 0;
    if (buf.length > PASS_ON_BYTES * 2) {
      buf = new byte[16 * 1024]; // one huge line must not keep a large buffer
    }
  }

  /** Passes on what is left; the standard stream itself stays open. */
  @Override
  public void close() {
    flush();
  }
}
