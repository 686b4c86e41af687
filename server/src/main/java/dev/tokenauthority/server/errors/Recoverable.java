package dev.tokenauthority.server.errors;

import java.util.Arrays;

/**
 * What a call turns into INTERNAL rather than letting grpc-java answer UNKNOWN: runtime exceptions,
 * and {@link StackOverflowError} (e.g. a caller's policy pattern backtracking on a long input),
 * whose stack is unwound by the time it is caught, so the thread and the process are fine. Other
 * errors (out of memory, linkage) are deliberately not caught: the process should not carry on.
 */
public final class Recoverable {
  /** Frames of a stack overflow worth logging: the first ones show the loop, the last the call. */
  static final int HEAD_FRAMES = 8;
  static final int TAIL_FRAMES = 24;

  private Recoverable() {}

  /**
   * The throwable to log: itself, or for a stack overflow a copy with only its first and last
   * frames, so one failed call does not write a thousand-frame line.
   */
  public static Throwable forLog(Throwable t) {
    StackTraceElement[] frames = t.getStackTrace();
    if (!(t instanceof StackOverflowError) || frames.length <= HEAD_FRAMES + TAIL_FRAMES) {
      return t;
    }
    StackOverflowError copy = new StackOverflowError("stack overflow; " + frames.length
        + " frames, the first " + HEAD_FRAMES + " and last " + TAIL_FRAMES + " shown");
    StackTraceElement[] kept = Arrays.copyOf(frames, HEAD_FRAMES + TAIL_FRAMES);
    System.arraycopy(frames, frames.length - TAIL_FRAMES, kept, HEAD_FRAMES, TAIL_FRAMES);
    copy.setStackTrace(kept);
    return copy;
  }
}
