package dev.tokenauthority.server.config;

import dev.tokenauthority.core.Secret;
import java.util.List;

/** A ZEGO project: numeric app id plus 32-character server secret(s). */
public record ZegoApp(String name, long appId, List<Secret> credentials) implements AppConfig {
  public ZegoApp {
    credentials = List.copyOf(credentials);
  }

  @Override
  public Vendor vendor() {
    return Vendor.ZEGO;
  }

  @Override
  public String tokenAppId() {
    return Long.toString(appId);
  }
}
