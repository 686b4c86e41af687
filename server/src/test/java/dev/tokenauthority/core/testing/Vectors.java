package dev.tokenauthority.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the vendor vectors from the test classpath ({@code src/test/resources/vectors}, a copy kept
 * in the repository; see its README.md), so no test reads anything outside the clone.
 */
public final class Vectors {
  private Vectors() {}

  /** The whole of vectors/NAME.json. */
  public static JsonNode root(String name) {
    String resource = "/vectors/" + name + ".json";
    try (InputStream in = Vectors.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the test classpath");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The "cases" of vectors/NAME.json. */
  public static List<JsonNode> cases(String name) {
    List<JsonNode> cases = new ArrayList<>();
    root(name).get("cases").forEach(cases::add);
    if (cases.isEmpty()) {
      throw new IllegalStateException("no cases in " + name);
    }
    return cases;
  }
}
