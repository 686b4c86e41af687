package dev.tokenauthority.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time (user + system) of this process and, when given its pid, of the server, read at the
 * measured window's edges: CPU per call is less sensitive than calls/s to what else a shared
 * machine runs, and the client's own share shows how much of a ratio the load runner itself moves.
 */
final class CpuMeter {
  /** /proc reports process times in USER_HZ, which Linux fixes at 100 for this interface. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private final Long serverPid;
  private long clientStart;
  private long serverStart;

  CpuMeter(Long serverPid) {
    this.serverPid = serverPid;
  }

  void start() {
    clientStart = clientNanos();
    serverStart = serverNanos().orElse(-1);
  }

  /** Client and (when known) server CPU nanoseconds since {@link #start()}. */
  Reading stop() {
    long client = clientNanos() - clientStart;
    OptionalLong server = serverNanos();
    return new Reading(client,
        server.isPresent() && serverStart >= 0 ? OptionalLong.of(server.getAsLong() - serverStart) : OptionalLong.empty());
  }

  private static long clientNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private OptionalLong serverNanos() {
    if (serverPid == null) {
      return OptionalLong.empty();
    }
    try {
      String stat = Files.readString(Path.of("/proc", serverPid.toString(), "stat"));
      // utime and stime are fields 14 and 15; count from after the command name's ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return OptionalLong.of((Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK);
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  record Reading(long clientNanos, OptionalLong serverNanos) {}
}
