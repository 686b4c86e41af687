package dev.tokenauthority.core;

import dev.tokenauthority.core.agora.LittleEndianWriter;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.Service;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.zego04.ZegoRoomPrivileges;
import dev.tokenauthority.core.zego04.ZegoToken04;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The canonical encoding as first written (streams, one allocation per field): the plain
 * reference {@link ClaimsFingerprint}'s buffer-reusing version must equal byte for byte.
 */
final class ClaimsFingerprintReference {
  private ClaimsFingerprintReference() {}

  static String of(TokenClaims claims) {
    return sha256Prefix(canonical(claims));
  }
  static byte[] canonical(TokenClaims claims) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    DataOutputStream out = new DataOutputStream(bytes);
    try {
      text(out, claims.format().id());
      text(out, claims.appId());
      out.writeLong(claims.issuedAt().getEpochSecond());
      out.writeLong(claims.expiresAt().getEpochSecond());
      List<Privilege> privileges = claims.privileges().stream()
          .sorted(Comparator.comparing(Privilege::service).thenComparingInt(Privilege::code)).toList();
      out.writeInt(privileges.size());
      for (Privilege p : privileges) {
        text(out, p.service());
        text(out, p.name());
        out.writeLong(p.code());
        out.writeLong(p.expiresAt().map(java.time.Instant::getEpochSecond).orElse(-1L));
      }
      bound(out, claims);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  private static void bound(DataOutputStream out, TokenClaims claims) throws IOException {
    if (claims instanceof AccessToken2 t) {
      out.writeLong(t.salt());
      out.writeInt(t.services().size());
      for (Service s : t.services()) {
        out.writeLong(s.type());
        LittleEndianWriter fields = new LittleEndianWriter(64);
        s.writeFields(fields);
        out.writeInt(fields.size());
        out.write(fields.buffer(), 0, fields.size());
      }
    } else if (claims instanceof LegacyAccessToken t) {
      out.writeLong(t.salt());
      out.writeLong(t.crcChannelName());
      out.writeLong(t.crcUid());
    } else if (claims instanceof ZegoToken04 t) {
      text(out, t.userId());
      out.writeLong(t.nonce());
      out.writeBoolean(t.room().isPresent());
      if (t.room().isPresent()) {
        ZegoRoomPrivileges r = t.room().get();
        text(out, r.roomId());
        out.writeBoolean(r.canLogin());
        out.writeBoolean(r.canPublish());
        out.writeInt(r.streamIds().size());
        for (String id : r.streamIds()) {
          text(out, id);
        }
      }
    } else if (claims instanceof DynamicToken t) {
      text(out, t.userId());
    } else {
      throw new IllegalArgumentException("no canonical encoding for " + claims.getClass().getSimpleName());
    }
  }

  private static void text(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String sha256Prefix(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }
}
