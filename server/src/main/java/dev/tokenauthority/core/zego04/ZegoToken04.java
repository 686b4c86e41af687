package dev.tokenauthority.core.zego04;

import dev.tokenauthority.core.Privilege;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A ZEGO Token04 with every field of its plaintext: made by {@link Token04Builder} or decrypted by
 * {@link Token04Verifier}. Immutable; {@link #toString()} never shows the token.
 */
public final class ZegoToken04 implements TokenClaims {
  /** Service name used in {@link Privilege#service()} for room privileges. */
  public static final String SERVICE = "zego";

  private final String token;
  private final long appId;
  private final String userId;
  private final int nonce;
  private final long ctime;
  private final long expire;
  private final String payload;
  private final Optional<ZegoRoomPrivileges> room;

  ZegoToken04(
      String token,
      long appId,
      String userId,
      int nonce,
      long ctime,
      long expire,
      String payload,
      Optional<ZegoRoomPrivileges> room) {
    this.token = token;
    this.appId = appId;
    this.userId = userId;
    this.nonce = nonce;
    this.ctime = ctime;
    this.expire = expire;
    this.payload = payload;
    this.room = room;
  }

  public static Token04Builder builder() {
    return new Token04Builder();
  }

  /** The token string ("04..."): a bearer credential, never log it. */
  public String token() {
    return token;
  }

  /** The app id as the number on the wire. */
  public long zegoAppId() {
    return appId;
  }

  public String userId() {
    return userId;
  }

  public int nonce() {
    return nonce;
  }

  /** Issue time, unix seconds ("ctime"). */
  public long ctimeSeconds() {
    return ctime;
  }

  /** Expiry, unix seconds ("expire"). */
  public long expireSeconds() {
    return expire;
  }

  /** The raw payload string: "" for a plain ZIM token, else the room JSON. */
  public String payload() {
    return payload;
  }

  public Optional<ZegoRoomPrivileges> room() {
    return room;
  }

  @Override
  public TokenFormat format() {
    return TokenFormat.ZEGO_04;
  }

  @Override
  public String appId() {
    return Long.toString(appId);
  }

  @Override
  public Instant issuedAt() {
    return Instant.ofEpochSecond(ctime);
  }

  @Override
  public Instant expiresAt() {
    return Instant.ofEpochSecond(expire);
  }

  @Override
  public String subject() {
    return userId;
  }

  @Override
  public Optional<String> channel() {
    return room.map(ZegoRoomPrivileges::roomId);
  }

  /** Granted room privileges ("login" 1, "publish" 2); none for a plain ZIM login token. */
  @Override
  public List<Privilege> privileges() {
    if (room.isEmpty()) {
      return List.of();
    }
    List<Privilege> granted = new ArrayList<>(2);
    if (room.get().canLogin()) {
      granted.add(new Privilege(SERVICE, "login", ZegoRoomPrivileges.LOGIN, Optional.empty()));
    }
    if (room.get().canPublish()) {
      granted.add(new Privilege(SERVICE, "publish", ZegoRoomPrivileges.PUBLISH, Optional.empty()));
    }
    return List.copyOf(granted);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ZegoToken04 t
        && token.equals(t.token)
        && appId == t.appId
        && userId.equals(t.userId)
        && nonce == t.nonce
        && ctime == t.ctime
        && expire == t.expire
        && payload.equals(t.payload)
        && room.equals(t.room);
  }

  @Override
  public int hashCode() {
    return Objects.hash(token, appId, userId, nonce, ctime, expire, payload, room);
  }

  @Override
  public String toString() {
    return "ZegoToken04[appId=" + appId + ", userId=" + userId + ", ctime=" + ctime
        + ", expire=" + expire + ", room=" + room.map(ZegoRoomPrivileges::toString).orElse("none") + "]";
  }
}
