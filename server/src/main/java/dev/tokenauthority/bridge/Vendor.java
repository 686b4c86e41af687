package dev.tokenauthority.bridge;

/**
 * The vendor REST APIs the bridges call (labels of vendor-call events and errors). Not the same
 * set as the server's {@code AppConfig.Vendor}, which names whose tokens an app issues: Agora Chat
 * is one REST API of an Agora app, and ZEGO has no REST bridge. Kept apart on purpose; the bridge
 * package may not depend on server code.
 */
public enum Vendor {
  AGORA_CHAT("agora-chat"),
  EASEMOB("easemob");

  private final String id;

  Vendor(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
