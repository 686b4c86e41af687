package dev.tokenauthority.bridge;

/** The REST vendors the bridges talk to. */
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
