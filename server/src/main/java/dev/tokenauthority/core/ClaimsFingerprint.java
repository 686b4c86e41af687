package dev.tokenauthority.core;

import dev.tokenauthority.core.agora.LittleEndianWriter;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.Service;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.zego04.ZegoRoomPrivileges;
import dev.tokenauthority.core.zego04.ZegoToken04;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * A token's fingerprint over its claims, not its bytes: re-encodings of one token (a 007 token
 * re-compressed at another zlib level, a {@code dt-} token whose JSON was re-serialised or whose
 * padding was dropped) share one fingerprint, and tokens whose claims differ in anything do not.
 *
 * <p>The canonical encoding (docs/configuration.md, "Logs and audit") is a fixed sequence of
 * fields, each a big-endian u64 (numbers), a u32 byte length then UTF-8 (text), or a u32 count then
 * the items (lists): format id, app id, issue time, expiry (unix seconds), the privileges sorted
 * by service then code (service, name, code, expiry or -1 for none), then what the format itself
 * binds: 007 the salt and each service in token order (type, then its wire fields: channel, uid,
 * user ids...); 006 the salt and the CRC-32s of channel and uid (the token carries no more, so the
 * fingerprint does not depend on the binding a caller claims); ZEGO the user id, nonce and room
 * (id, login, publish, stream ids); Easemob the user id. Signatures are left out: they follow from
 * the claims and the credential.
 *
 * <p>Every issued token's audit line carries one, so it is on the request path: the encoding is
 * written into a per-thread buffer and hashed with a per-thread digest (a stream-and-copy version
 * of the same encoding was ~9 % of a token call's CPU). {@code ClaimsFingerprintTest} keeps that
 * plain version as the reference the fast one must equal byte for byte.
 */
public final class ClaimsFingerprint {
  private static final HexFormat HEX = HexFormat.of();
  private static final Comparator<Privilege> ORDER =
      Comparator.comparing(Privilege::service).thenComparingInt(Privilege::code);
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private ClaimsFingerprint() {}

  /** The first 16 hex digits of the SHA-256 of {@link #canonical}. */
  public static String of(TokenClaims claims) {
    Scratch s = SCRATCH.get();
    s.out.reset();
    write(s.out, s.fields, claims);
    return s.sha256Prefix(s.out.buf, s.out.size);
  }

  /** The first 16 hex digits of the SHA-256 of the text (tokens whose claims cannot be read). */
  public static String ofText(String token) {
    byte[] utf8 = token.getBytes(StandardCharsets.UTF_8);
    return SCRATCH.get().sha256Prefix(utf8, utf8.length);
  }

  /** The canonical encoding of the claims, as described above. */
  public static byte[] canonical(TokenClaims claims) {
    Canonical out = new Canonical();
    write(out, new LittleEndianWriter(64), claims);
    return Arrays.copyOf(out.buf, out.size);
  }

  private static void write(Canonical out, LittleEndianWriter fields, TokenClaims claims) {
    out.text(claims.format().id());
    out.text(claims.appId());
    out.u64(claims.issuedAt().getEpochSecond());
    out.u64(claims.expiresAt().getEpochSecond());
    Privilege[] privileges = claims.privileges().toArray(new Privilege[0]);
    Arrays.sort(privileges, ORDER);
    out.u32(privileges.length);
    for (Privilege p : privileges) {
      out.text(p.service());
      out.text(p.name());
      out.u64(p.code());
      out.u64(p.expiresAt().isPresent() ? p.expiresAt().get().getEpochSecond() : -1L);
    }
    bound(out, fields, claims);
  }

  private static void bound(Canonical out, LittleEndianWriter fields, TokenClaims claims) {
    if (claims instanceof AccessToken2 t) {
      out.u64(t.salt());
      out.u32(t.services().size());
      for (Service s : t.services()) {
        out.u64(s.type());
        fields.reset();
        s.writeFields(fields);
        out.u32(fields.size());
        out.bytes(fields.buffer(), 0, fields.size());
      }
    } else if (claims instanceof LegacyAccessToken t) {
      out.u64(t.salt());
      out.u64(t.crcChannelName());
      out.u64(t.crcUid());
    } else if (claims instanceof ZegoToken04 t) {
      out.text(t.userId());
      out.u64(t.nonce());
      out.bool(t.room().isPresent());
      if (t.room().isPresent()) {
        ZegoRoomPrivileges r = t.room().get();
        out.text(r.roomId());
        out.bool(r.canLogin());
        out.bool(r.canPublish());
        out.u32(r.streamIds().size());
        for (String id : r.streamIds()) {
          out.text(id);
        }
      }
    } else if (claims instanceof DynamicToken t) {
      out.text(t.userId());
    } else {
      throw new IllegalArgumentException("no canonical encoding for " + claims.getClass().getSimpleName());
    }
  }

  /** A thread's reusable buffers: the encoding, a service's fields, the digest and its output. */
  private static final class Scratch {
    final Canonical out = new Canonical();
    final LittleEndianWriter fields = new LittleEndianWriter(64);
    final MessageDigest sha256;
    final byte[] digest = new byte[32];

    Scratch() {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required by every JDK", e);
      }
    }

    String sha256Prefix(byte[] bytes, int length) {
      sha256.update(bytes, 0, length);
      try {
        sha256.digest(digest, 0, digest.length);
      } catch (java.security.DigestException e) {
        throw new IllegalStateException("a 32-byte buffer holds a SHA-256", e);
      }
      return HEX.formatHex(digest, 0, 8);
    }
  }

  /** Big-endian fields into a growable array: what DataOutputStream writes, without the streams. */
  private static final class Canonical {
    byte[] buf = new byte[256];
    int size;

    void reset() {
      size = 0;
      if (buf.length > 4096) {
        buf = new byte[256]; // one huge token must not pin a large buffer to the thread
      }
    }

    void u64(long v) {
      ensure(8);
      for (int shift = 56; shift >= 0; shift -= 8) {
        buf[size++] = (byte) (v >>> shift);
      }
    }

    void u32(int v) {
      ensure(4);
      for (int shift = 24; shift >= 0; shift -= 8) {
        buf[size++] = (byte) (v >>> shift);
      }
    }

    void bool(boolean v) {
      ensure(1);
      buf[size++] = (byte) (v ? 1 : 0);
    }

    /** A u32 byte length then the UTF-8 bytes (ASCII copied directly, the common case). */
    void text(String s) {
      int n = s.length();
      boolean ascii = true;
      for (int i = 0; i < n && ascii; i++) {
        ascii = s.charAt(i) < 0x80;
      }
      if (!ascii) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        u32(utf8.length);
        bytes(utf8, 0, utf8.length);
        return;
      }
      u32(n);
      ensure(n);
      for (int i = 0; i < n; i++) {
        buf[size++] = (byte) s.charAt(i);
      }
    }

    void bytes(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, size, len);
      size += len;
    }

    private void ensure(int extra) {
      if (size + extra > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
      }
    }
  }
}
