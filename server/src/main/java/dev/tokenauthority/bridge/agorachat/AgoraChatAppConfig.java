package dev.tokenauthority.bridge.agorachat;

import dev.tokenauthority.bridge.VendorUrls;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One Agora Chat app as the bridge needs it. Holds no secret: the app token comes from a supplier.
 *
 * @param restBaseUrl the app's REST domain with scheme, e.g. https://a41.chat.agora.io
 * @param orgName the part of the app key before '#'
 * @param appName the part of the app key after '#'
 * @param userCacheSize how many user name -> UUID entries to keep
 * @param userCacheTtl how long an entry is trusted
 */
public record AgoraChatAppConfig(
    URI restBaseUrl, String orgName, String appName, int userCacheSize, Duration userCacheTtl) {
  public static final int DEFAULT_CACHE_SIZE = 10_000;
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(10);

  public AgoraChatAppConfig {
    restBaseUrl = VendorUrls.checkBaseUrl(Objects.requireNonNull(restBaseUrl, "restBaseUrl"));
    checkName("orgName", orgName);
    checkName("appName", appName);
    if (userCacheSize < 1) {
      throw new IllegalArgumentException("userCacheSize must be at least 1");
    }
    Objects.requireNonNull(userCacheTtl, "userCacheTtl");
    if (userCacheTtl.isNegative() || userCacheTtl.isZero()) {
      throw new IllegalArgumentException("userCacheTtl must be positive");
    }
  }

  /** From the console's app key "org#app", with the default cache. */
  public static AgoraChatAppConfig of(URI restBaseUrl, String appKey) {
    checkAppKey(appKey);
    int hash = appKey.indexOf('#');
    return new AgoraChatAppConfig(restBaseUrl, appKey.substring(0, hash), appKey.substring(hash + 1),
        DEFAULT_CACHE_SIZE, DEFAULT_CACHE_TTL);
  }

  public AgoraChatAppConfig withUserCache(int size, Duration ttl) {
    return new AgoraChatAppConfig(restBaseUrl, orgName, appName, size, ttl);
  }

  /**
   * The bridge's rule for an app key, public so configuration can apply it at start-up: "org#app",
   * each part 1-64 of A-Z, a-z, 0-9, '_', '-' (both parts become REST path segments).
   */
  public static void checkAppKey(String appKey) {
    Objects.requireNonNull(appKey, "appKey");
    int hash = appKey.indexOf('#');
    if (hash <= 0 || hash != appKey.lastIndexOf('#') || hash == appKey.length() - 1) {
      throw new IllegalArgumentException("app key must be org#app");
    }
    checkName("orgName", appKey.substring(0, hash));
    checkName("appName", appKey.substring(hash + 1));
  }

  static void checkName(String field, String value) {
    if (value == null || !value.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException(field + " must be 1-64 of A-Z, a-z, 0-9, '_', '-'");
    }
  }
}
