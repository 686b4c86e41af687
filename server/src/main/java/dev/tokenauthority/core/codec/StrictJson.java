package dev.tokenauthority.core.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * Strict JSON reading for token bodies: one object, no duplicate keys, no trailing content, no
 * comments or other extensions. Callers check the field set and types themselves.
 */
public final class StrictJson {
  private static final ObjectReader READER =
      new ObjectMapper(
              JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .reader();

  private StrictJson() {}

  /** The object {@code text} holds, or empty when it is not exactly one well-formed JSON object. */
  public static Optional<ObjectNode> parseObject(String text) {
    try {
      JsonNode node = READER.readTree(text);
      return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      // Jackson reports syntax and constraint violations as IOExceptions; nothing else is expected,
      // but a parser bug must not escape as anything but "not JSON".
      return Optional.empty();
    }
  }

  /** True when the node is an integer literal (not 1.0, not 1e3) that fits a long. */
  public static boolean isLong(JsonNode node) {
    return node != null && node.isIntegralNumber() && node.canConvertToLong();
  }
}
