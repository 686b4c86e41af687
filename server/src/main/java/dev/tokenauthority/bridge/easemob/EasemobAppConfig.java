package dev.tokenauthority.bridge.easemob;

import dev.tokenauthority.bridge.VendorUrls;
import dev.tokenauthority.core.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One Easemob app as the bridge needs it. Build with {@link #builder()}.
 *
 * @param restBaseUrl the app's REST host with scheme, e.g. https://a1.easemob.com
 * @param orgName the part of the app key before '#'
 * @param appName the part of the app key after '#'
 * @param clientId the app's Client ID
 * @param clientSecret the app's ClientSecret; sent only in the client_credentials body
 * @param ttlUnit SECONDS, or MILLISECONDS on VIP 5 clusters
 * @param appTokenTtl the lifetime asked for the app token
 */
public record EasemobAppConfig(
    URI restBaseUrl,
    String orgName,
    String appName,
    String clientId,
    Secret clientSecret,
    TtlUnit ttlUnit,
    Duration appTokenTtl) {

  public EasemobAppConfig {
    restBaseUrl = VendorUrls.checkBaseUrl(Objects.requireNonNull(restBaseUrl, "restBaseUrl"));
    checkName("orgName", orgName);
    checkName("appName", appName);
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("clientId must not be empty");
    }
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(ttlUnit, "ttlUnit");
    Objects.requireNonNull(appTokenTtl, "appTokenTtl");
    if (appTokenTtl.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException("appTokenTtl must be at least one minute");
    }
  }

  public String appKey() {
    return orgName + "#" + appName;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The REST bridge's rule for an app key, public so configuration can apply it at start-up:
   * "org#app", each part 1-64 of A-Z, a-z, 0-9, '_', '-' (both parts become REST path segments).
   */
  public static void checkAppKey(String appKey) {
    Builder b = new Builder().appKey(appKey);
    checkName("orgName", b.orgName);
    checkName("appName", b.appName);
  }

  private static void checkName(String field, String value) {
    if (value == null || !value.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException(field + " must be 1-64 of A-Z, a-z, 0-9, '_', '-'");
    }
  }

  /** Builder; ttlUnit defaults to SECONDS and appTokenTtl to 24 hours. */
  public static final class Builder {
    private URI restBaseUrl;
    private String orgName;
    private String appName;
    private String clientId;
    private Secret clientSecret;
    private TtlUnit ttlUnit = TtlUnit.SECONDS;
    private Duration appTokenTtl = Duration.ofHours(24);

    private Builder() {}

    public Builder restBaseUrl(URI v) {
      restBaseUrl = v;
      return this;
    }

    /** Sets org and app from the app key "org#app". */
    public Builder appKey(String appKey) {
      int hash = appKey == null ? -1 : appKey.indexOf('#');
      if (hash <= 0 || hash != appKey.lastIndexOf('#') || hash == appKey.length() - 1) {
        throw new IllegalArgumentException("app key must be org#app");
      }
      orgName = appKey.substring(0, hash);
      appName = appKey.substring(hash + 1);
      return this;
    }

    public Builder orgName(String v) {
      orgName = v;
      return this;
    }

    public Builder appName(String v) {
      appName = v;
      return this;
    }

    public Builder clientId(String v) {
      clientId = v;
      return this;
    }

    public Builder clientSecret(Secret v) {
      clientSecret = v;
      return this;
    }

    public Builder ttlUnit(TtlUnit v) {
      ttlUnit = v;
      return this;
    }

    public Builder appTokenTtl(Duration v) {
      appTokenTtl = v;
      return this;
    }

    public EasemobAppConfig build() {
      return new EasemobAppConfig(restBaseUrl, orgName, appName, clientId, clientSecret, ttlUnit, appTokenTtl);
    }
  }
}
