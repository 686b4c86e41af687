package dev.tokenauthority.server.config;

/** The configuration is unusable; the message names the offending key (e.g. {@code apps.rtc.app_id}). */
public final class ConfigException extends RuntimeException {
  private final String key;

  public ConfigException(String key, String message) {
    super(key + ": " + message, null, false, false);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
