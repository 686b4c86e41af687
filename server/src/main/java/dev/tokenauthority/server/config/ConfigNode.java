package dev.tokenauthority.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Strict reader over one YAML mapping: every read names its key path, and {@link #finish()}
 * rejects keys nobody asked for, so a typo stops start-up instead of being ignored.
 */
final class ConfigNode {
  private final JsonNode node;
  private final String path;
  private final Set<String> consumed = new HashSet<>();

  ConfigNode(JsonNode node, String path) {
    this.node = node;
    this.path = path;
    if (node == null || !node.isObject()) {
      throw new ConfigException(path.isEmpty() ? "(root)" : path, "must be a mapping");
    }
  }

  String key(String name) {
    String shown = name.isEmpty() ? "\"\"" : name; // an empty YAML key still gets a name in a refusal
    return path.isEmpty() ? shown : path + "." + shown;
  }

  String path() {
    return path;
  }

  boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  private JsonNode raw(String name) {
    consumed.add(name);
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? null : v;
  }

  Optional<String> optString(String name) {
    JsonNode v = raw(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
      throw new ConfigException(key(name), "must be a string");
    }
    String s = v.asText();
    if (s.isEmpty()) {
      throw new ConfigException(key(name), "must not be empty");
    }
    return Optional.of(s);
  }

  String string(String name) {
    return optString(name).orElseThrow(() -> new ConfigException(key(name), "is required"));
  }

  Optional<Long> optLong(String name, long min, long max) {
    JsonNode v = raw(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new ConfigException(key(name), "must be a whole number");
    }
    long value = v.asLong();
    if (value < min || value > max) {
      throw new ConfigException(key(name), "must be between " + min + " and " + max + ", got " + value);
    }
    return Optional.of(value);
  }

  long longValue(String name, long min, long max, long dflt) {
    return optLong(name, min, max).orElse(dflt);
  }

  Optional<Boolean> optBoolean(String name) {
    JsonNode v = raw(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isBoolean()) {
      throw new ConfigException(key(name), "must be true or false");
    }
    return Optional.of(v.asBoolean());
  }

  Optional<ConfigNode> optChild(String name) {
    JsonNode v = raw(name);
    return v == null ? Optional.empty() : Optional.of(new ConfigNode(v, key(name)));
  }

  ConfigNode child(String name) {
    return optChild(name).orElseThrow(() -> new ConfigException(key(name), "is required"));
  }

  /** A list of mappings; each element's path is {@code key[i]}. */
  List<ConfigNode> children(String name) {
    JsonNode v = raw(name);
    List<ConfigNode> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!v.isArray()) {
      throw new ConfigException(key(name), "must be a list");
    }
    for (int i = 0; i < v.size(); i++) {
      out.add(new ConfigNode(v.get(i), key(name) + "[" + i + "]"));
    }
    return out;
  }

  /** A mapping whose keys are names chosen by the operator (e.g. app references). */
  List<String> fieldNames() {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  Optional<List<String>> optStrings(String name) {
    JsonNode v = raw(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isArray()) {
      throw new ConfigException(key(name), "must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      if (!e.isTextual() || e.asText().isEmpty()) {
        throw new ConfigException(key(name) + "[" + i + "]", "must be a non-empty string");
      }
      out.add(e.asText());
    }
    return Optional.of(out);
  }

  /** Fails on the first key that was never read. */
  void finish() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!consumed.contains(name)) {
        throw new ConfigException(key(name), "unknown key");
      }
    }
  }
}
