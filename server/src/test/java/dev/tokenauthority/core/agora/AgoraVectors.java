package dev.tokenauthority.core.agora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads shared/vectors/agora.json in place (never a copy). */
public final class AgoraVectors {
  private AgoraVectors() {}

  public static Path file() {
    String dir = System.getProperty("tokenauthority.shared.dir");
    if (dir == null) {
      throw new IllegalStateException("system property tokenauthority.shared.dir is not set");
    }
    return Path.of(dir, "vectors", "agora.json");
  }

  public static List<JsonNode> cases(String format) {
    try {
      JsonNode root = new ObjectMapper().readTree(file().toFile());
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode c : root.get("cases")) {
        if (c.get("format").asText().equals(format)) {
          out.add(c);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A readable name for a parameterized test. */
  public static String name(JsonNode c, int index) {
    return c.get("format").asText() + " #" + index + " " + c.get("kind").asText() + " " + c.get("params");
  }
}
