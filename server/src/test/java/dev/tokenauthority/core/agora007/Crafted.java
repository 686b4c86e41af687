package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.agora.LittleEndianWriter;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** Hand-made token bodies for malformed-input tests, built independently of the production codec. */
final class Crafted {
  static final String APP_ID = "970CA35de60c44645bbae8a215061b33";

  private Crafted() {}

  static byte[] zlib(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION))) {
      z.write(raw);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  static String token007(byte[] content) {
    return "007" + Base64.getEncoder().encodeToString(zlib(content));
  }

  /** str(32-byte signature) + signing info with the given services already packed. */
  static LittleEndianWriter header(int serviceCount) {
    return new LittleEndianWriter(64).bytes(new byte[32]).string(APP_ID).u32(1_000_000).u32(600).u32(7)
        .u16(serviceCount);
  }
}
