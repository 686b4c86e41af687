package dev.tokenauthority.core.diagnose;

/** The service and privilege a client is about to exercise with a token. */
public enum IntendedAction {
  RTC_JOIN_CHANNEL(Service.RTC, "join_channel"),
  RTC_PUBLISH_AUDIO(Service.RTC, "publish_audio"),
  RTC_PUBLISH_VIDEO(Service.RTC, "publish_video"),
  RTC_PUBLISH_DATA_STREAM(Service.RTC, "publish_data_stream"),
  RTM_LOGIN(Service.RTM, "login"),
  /** Agora Chat or Easemob SDK login. */
  CHAT_LOGIN(Service.CHAT, "user"),
  /** ZEGO ZIM login (no room). */
  ZEGO_LOGIN(Service.ZEGO, "login"),
  ZEGO_ROOM_LOGIN(Service.ZEGO, "login"),
  ZEGO_ROOM_PUBLISH(Service.ZEGO, "publish");

  /** The service families an intended use can name. */
  public enum Service {
    RTC, RTM, CHAT, ZEGO;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Service service;
  private final String privilegeName;

  IntendedAction(Service service, String privilegeName) {
    this.service = service;
    this.privilegeName = privilegeName;
  }

  public Service service() {
    return service;
  }

  /** The privilege's name as {@link dev.tokenauthority.core.Privilege#name()} spells it. */
  public String privilegeName() {
    return privilegeName;
  }
}
