package dev.tokenauthority.core;

/** The wire formats the authority builds and reads. The id is the stable name used in APIs, logs and the CLI. */
public enum TokenFormat {
  AGORA_007("agora-007"),
  AGORA_006("agora-006"),
  ZEGO_04("zego-04"),
  EASEMOB_DT("easemob-dt");

  private final String id;

  TokenFormat(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
