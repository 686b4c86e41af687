package dev.tokenauthority.server.config;

import dev.tokenauthority.core.Secret;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * An Easemob app: app key {@code org#app}, client id and client secret(s). The REST base and the
 * ttl unit are for the REST grants of the vendor bridge (issue 4); dynamic tokens need neither.
 */
public record EasemobApp(
    String name, String appKey, String clientId, List<Secret> credentials,
    Optional<URI> restBase, TtlUnit ttlUnit)
    implements AppConfig {
  public EasemobApp {
    credentials = List.copyOf(credentials);
  }

  @Override
  public Vendor vendor() {
    return Vendor.EASEMOB;
  }

  @Override
  public String tokenAppId() {
    return appKey;
  }

  /** Unit of the REST API's {@code ttl} (milliseconds on VIP 5 clusters). */
  public enum TtlUnit {
    SECONDS,
    MILLISECONDS
  }
}
