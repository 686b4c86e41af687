package dev.tokenauthority.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the vendor vectors in place from the shared directory the build points at. */
public final class Vectors {
  private Vectors() {}

  public static Path sharedDir() {
    String dir = System.getProperty("tokenauthority.shared.dir");
    if (dir == null) {
      throw new IllegalStateException("system property tokenauthority.shared.dir is not set");
    }
    return Path.of(dir);
  }

  /** The "cases" of vectors/NAME.json. */
  public static List<JsonNode> cases(String name) {
    try {
      JsonNode root = new ObjectMapper().readTree(sharedDir().resolve("vectors").resolve(name + ".json").toFile());
      List<JsonNode> cases = new ArrayList<>();
      root.get("cases").forEach(cases::add);
      if (cases.isEmpty()) {
        throw new IllegalStateException("no cases in " + name);
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
