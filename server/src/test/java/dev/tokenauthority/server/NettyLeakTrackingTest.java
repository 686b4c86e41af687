package dev.tokenauthority.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NettyLeakTrackingTest {
  private final ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();

  @AfterEach
  void restore() {
    ResourceLeakDetector.setLevel(before);
    System.clearProperty(NettyLeakTracking.LEVEL_PROPERTY);
  }

  @Test
  void theServeCommandTurnsLeakTrackingOff() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    NettyLeakTracking.offUnlessAsked();
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
  }

  @Test
  void anOperatorsLevelIsKept() {
    System.setProperty(NettyLeakTracking.LEVEL_PROPERTY, "paranoid");
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    NettyLeakTracking.offUnlessAsked();
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
  }
}
