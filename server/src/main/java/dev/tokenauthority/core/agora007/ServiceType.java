package dev.tokenauthority.core.agora007;

/** AccessToken2 service type numbers. */
public final class ServiceType {
  public static final int RTC = 1;
  public static final int RTM = 2;
  public static final int STREAMING = 3;
  public static final int FPA = 4;
  public static final int CHAT = 5;
  public static final int FCDN = 6;
  public static final int APAAS = 7;
  /** RTM2 carries nested resource permissions; the parser reports it as unsupported. */
  public static final int RTM2 = 8;

  private ServiceType() {}
}
