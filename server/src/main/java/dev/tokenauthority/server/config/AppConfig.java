package dev.tokenauthority.server.config;

import dev.tokenauthority.core.Secret;
import java.util.List;

/**
 * One configured app, known to callers by its reference {@link #name()}. Credentials are ordered:
 * "primary" first, then "secondary" while a rotation is in progress. Issuing signs with the
 * primary; verifying accepts any of them.
 */
public sealed interface AppConfig permits AgoraApp, ZegoApp, EasemobApp {
  String name();

  Vendor vendor();

  /** The vendor's app id as tokens spell it (Agora app id, ZEGO app id in decimal, Easemob app key). */
  String tokenAppId();

  List<Secret> credentials();

  default Secret primary() {
    return credentials().get(0);
  }

  /** Vendors an app can belong to; the config spelling is {@link #id()}. */
  enum Vendor {
    AGORA("agora"),
    ZEGO("zego"),
    EASEMOB("easemob");

    private final String id;

    Vendor(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }
}
