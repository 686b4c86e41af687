package dev.tokenauthority.core.agora006;

import dev.tokenauthority.core.agora.HmacSha256;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.crypto.Mac;

/** signature = HMAC_SHA256(certificate UTF-8, app_id + channel + uid_text + message). */
final class LegacySignatures {
  private LegacySignatures() {}

  static byte[] sign(String certificate, String appId, String channelName, String uid, byte[] message) {
    Mac mac = HmacSha256.keyed(certificate.getBytes(StandardCharsets.UTF_8));
    mac.update(appId.getBytes(StandardCharsets.UTF_8));
    mac.update(channelName.getBytes(StandardCharsets.UTF_8));
    mac.update(uid.getBytes(StandardCharsets.UTF_8));
    mac.update(message);
    return mac.doFinal();
  }

  static long crc32(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
