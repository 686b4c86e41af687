package dev.tokenauthority.core.diagnose;

import dev.tokenauthority.core.InvalidTokenInputException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client is about to do with a token: every part is optional, and only the parts given are
 * checked. The RTC user is either a numeric uid or a string account, never both: uid 0 (packed as
 * "" and bound to no user) and the account "0" are different users to the vendor. Build with
 * {@link #builder()}; field names in errors are the API's ({@code intended_use.*}).
 */
public final class IntendedUse {
  /** Longest value accepted for any text part; far above every vendor limit. */
  public static final int MAX_VALUE_CHARS = 1024;
  static final long MAX_UID = 0xFFFF_FFFFL;

  private final String appId;
  private final String channel;
  private final Long uid;
  private final String account;
  private final String rtmUserId;
  private final String chatUserId;
  private final String zegoUserId;
  private final String roomId;
  private final String streamId;
  private final IntendedAction action;
  private final Instant at;

  private IntendedUse(Builder b) {
    this.appId = b.appId;
    this.channel = b.channel;
    this.uid = b.uid;
    this.account = b.account;
    this.rtmUserId = b.rtmUserId;
    this.chatUserId = b.chatUserId;
    this.zegoUserId = b.zegoUserId;
    this.roomId = b.roomId;
    this.streamId = b.streamId;
    this.action = b.action;
    this.at = b.at;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optional<String> appId() {
    return Optional.ofNullable(appId);
  }

  public Optional<String> channel() {
    return Optional.ofNullable(channel);
  }

  /** The numeric RTC uid, if the use names one (0 included). */
  public Optional<Long> uid() {
    return Optional.ofNullable(uid);
  }

  /** The string RTC user account, if the use names one. */
  public Optional<String> account() {
    return Optional.ofNullable(account);
  }

  /** The RTC user as tokens pack it: "" for uid 0, a uid's decimal text, or the account. */
  public Optional<String> rtcUserWireText() {
    if (uid != null) {
      return Optional.of(uid == 0 ? "" : Long.toString(uid));
    }
    return Optional.ofNullable(account);
  }

  public Optional<String> rtmUserId() {
    return Optional.ofNullable(rtmUserId);
  }

  /** Agora Chat user UUID or Easemob user id. */
  public Optional<String> chatUserId() {
    return Optional.ofNullable(chatUserId);
  }

  public Optional<String> zegoUserId() {
    return Optional.ofNullable(zegoUserId);
  }

  public Optional<String> roomId() {
    return Optional.ofNullable(roomId);
  }

  public Optional<String> streamId() {
    return Optional.ofNullable(streamId);
  }

  /** The service and privilege about to be exercised; empty checks identities and times only. */
  public Optional<IntendedAction> action() {
    return Optional.ofNullable(action);
  }

  /** The moment of use. */
  public Instant at() {
    return at;
  }

  /** Input for {@link IntendedUse}; {@link #build()} checks the combination. */
  public static final class Builder {
    private String appId;
    private String channel;
    private Long uid;
    private String account;
    private String rtmUserId;
    private String chatUserId;
    private String zegoUserId;
    private String roomId;
    private String streamId;
    private IntendedAction action;
    private Instant at;

    private Builder() {}

    public Builder appId(String v) {
      appId = text("intended_use.app_id", v);
      return this;
    }

    public Builder channel(String v) {
      channel = text("intended_use.channel_name", v);
      return this;
    }

    /** A numeric uid, 0 to 4294967295 (0: the client lets the SDK pick its uid). */
    public Builder uid(long v) {
      if (v < 0 || v > MAX_UID) {
        throw new InvalidTokenInputException("intended_use.uid", "INTENDED_UID_OUT_OF_RANGE",
            "must be 0 to 4294967295");
      }
      uid = v;
      return this;
    }

    public Builder account(String v) {
      account = text("intended_use.user_account", v);
      return this;
    }

    public Builder rtmUserId(String v) {
      rtmUserId = text("intended_use.rtm_user_id", v);
      return this;
    }

    public Builder chatUserId(String v) {
      chatUserId = text("intended_use.chat_user_id", v);
      return this;
    }

    public Builder zegoUserId(String v) {
      zegoUserId = text("intended_use.zego_user_id", v);
      return this;
    }

    public Builder roomId(String v) {
      roomId = text("intended_use.zego_room_id", v);
      return this;
    }

    public Builder streamId(String v) {
      streamId = text("intended_use.zego_stream_id", v);
      return this;
    }

    public Builder action(IntendedAction v) {
      action = v;
      return this;
    }

    public Builder at(Instant v) {
      at = Objects.requireNonNull(v, "at");
      return this;
    }

    /** Needs {@link #at}; refuses a uid together with an account and parts that contradict the action. */
    public IntendedUse build() {
      if (at == null) {
        throw new IllegalStateException("the moment of use is required");
      }
      if (uid != null && account != null) {
        throw new InvalidTokenInputException("intended_use.user_account", "INTENDED_USER_AMBIGUOUS",
            "give a uid or a user account, not both");
      }
      if (streamId != null && action != IntendedAction.ZEGO_ROOM_PUBLISH) {
        throw new InvalidTokenInputException("intended_use.zego_stream_id", "INTENDED_STREAM_WITHOUT_PUBLISH",
            "a stream id goes with the ZEGO room publish action");
      }
      if (roomId == null && (action == IntendedAction.ZEGO_ROOM_LOGIN || action == IntendedAction.ZEGO_ROOM_PUBLISH)) {
        throw new InvalidTokenInputException("intended_use.zego_room_id", "INTENDED_ROOM_MISSING",
            "a ZEGO room action needs the room id");
      }
      return new IntendedUse(this);
    }

    /** Empty means "not given" (proto3 strings cannot say otherwise); bounded so echoes stay short. */
    private static String text(String field, String v) {
      if (v == null || v.isEmpty()) {
        return null;
      }
      if (v.length() > MAX_VALUE_CHARS) {
        throw new InvalidTokenInputException(field, "INTENDED_VALUE_TOO_LONG",
            "at most " + MAX_VALUE_CHARS + " characters");
      }
      return v;
    }
  }
}
