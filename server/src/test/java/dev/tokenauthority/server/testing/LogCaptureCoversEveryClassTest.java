package dev.tokenauthority.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * No {@code @ExtendWith(LogCapture.class)} here on purpose: the secret check must reach every test
 * class of the module through extension auto-detection, not only the classes that ask for it.
 */
class LogCaptureCoversEveryClassTest {
  @Test
  void aClassThatDoesNotAskIsCapturedAndChecked() {
    assertThat(LogCapture.covers(LogCaptureCoversEveryClassTest.class)).isTrue();
    String marker = "log-capture-marker-" + System.nanoTime();
    Logger.getLogger(LogCaptureCoversEveryClassTest.class.getName()).info(marker);
    assertThat(LogCapture.lines()).anyMatch(line -> line.contains(marker));
  }
}
