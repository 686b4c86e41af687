package dev.tokenauthority.server.config;

import dev.tokenauthority.core.Secret;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * An Agora project: app id plus app certificate(s). The optional Chat REST settings are for the
 * vendor bridge that resolves chat user names (issue 4); token issuing does not need them.
 */
public record AgoraApp(
    String name, String appId, List<Secret> credentials, Optional<URI> chatRestBase,
    Optional<String> chatAppKey)
    implements AppConfig {
  public AgoraApp {
    credentials = List.copyOf(credentials);
  }

  @Override
  public Vendor vendor() {
    return Vendor.AGORA;
  }

  @Override
  public String tokenAppId() {
    return appId;
  }
}
