package dev.tokenauthority.server.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fuzzes the config loader from bytes. Property: a file either loads into a snapshot or is refused
 * with ConfigException naming a key, never anything else (a reload thread must survive every file).
 */
class ConfigLoaderFuzzTest {
  private static final Map<String, String> ENV = Map.of(
      "CERT", "0123456789abcdef0123456789abcdef", "ZS", "abcdefghijklmnopqrstuvwxyz012345", "EM", "YXA6secret");
  private static final Path BASE = emptyDirectory();

  @FuzzTest
  void load(byte[] input) {
    String yaml = new String(input, StandardCharsets.UTF_8);
    // File references are the operator's; device and kernel files (endless /dev/zero) are not config.
    if (yaml.contains("/dev") || yaml.contains("/proc") || yaml.contains("/sys")) {
      return;
    }
    try {
      new ConfigLoader(ENV::get).parse(yaml, BASE);
    } catch (ConfigException expected) {
      if (expected.key() == null || expected.key().isEmpty()) {
        throw new AssertionError("refusal names no key: " + expected.getMessage());
      }
    }
  }

  private static Path emptyDirectory() {
    try {
      Path dir = Files.createTempDirectory("config-fuzz");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
