package dev.tokenauthority.core.agora;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenauthority.core.testing.Vectors;
import java.util.List;

/** The cases of vectors/agora.json (the repository's copy, see {@link Vectors}) of one format. */
public final class AgoraVectors {
  private AgoraVectors() {}

  public static List<JsonNode> cases(String format) {
    return Vectors.cases("agora").stream().filter(c -> c.get("format").asText().equals(format)).toList();
  }

  /** A readable name for a parameterized test. */
  public static String name(JsonNode c, int index) {
    return c.get("format").asText() + " #" + index + " " + c.get("kind").asText() + " " + c.get("params");
  }
}
