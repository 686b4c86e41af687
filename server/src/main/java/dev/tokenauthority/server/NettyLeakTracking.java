package dev.tokenauthority.server;

import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;

/**
 * Netty's buffer leak tracking, off in the served process unless the operator sets its level.
 *
 * <p>By default Netty tracks one buffer allocation in 128 and records a stack trace for it and for
 * each of its releases: in a profile of IssueRtcToken under load, about 1,300 stack traces a
 * second and ~1.5 % of the server's CPU in {@code fillInStackTrace} alone. It is a debugging aid;
 * the test suite, which runs servers in-process without this command, keeps Netty's default and so
 * still reports a leak. An operator who wants it sets {@code -Dio.grpc.netty.shaded.io.netty.leakDetection.level}.
 */
final class NettyLeakTracking {
  static final String LEVEL_PROPERTY = "io.grpc.netty.shaded.io.netty.leakDetection.level";

  private NettyLeakTracking() {}

  static void offUnlessAsked() {
    if (System.getProperty(LEVEL_PROPERTY) == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }
}
