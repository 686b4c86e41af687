package dev.tokenauthority.core.agora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The allocation-free helpers of the token hot path agree with the JDK's own implementations. */
class HotPathPrimitivesTest {
  private final SplittableRandom random = new SplittableRandom(42);

  @Test
  void macIntoIsHmacSha256() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    for (int i = 0; i < 500; i++) {
      byte[] key = bytes(1 + random.nextInt(64));
      byte[] message = bytes(random.nextInt(400));
      int offset = message.length == 0 ? 0 : random.nextInt(message.length);
      int length = message.length - offset;
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(message, offset, length);
      byte[] expected = mac.doFinal();
      byte[] out = new byte[HmacSha256.LENGTH + 3];
      HmacSha256.macInto(key, key.length, message, offset, length, out, 3);
      assertArrayEquals(expected, Arrays.copyOfRange(out, 3, out.length), "case " + i);
    }
  }

  @Test
  void encodeIntoIsPaddedBase64() {
    for (int len = 0; len < 200; len++) {
      byte[] src = bytes(len + 2);
      byte[] dst = new byte[5 + StrictBase64.encodedLength(len)];
      int end = StrictBase64.encodeInto(src, 1, len, dst, 5);
      String expected = Base64.getEncoder().encodeToString(Arrays.copyOfRange(src, 1, 1 + len));
      assertEquals(expected, new String(dst, 5, end - 5, StandardCharsets.US_ASCII));
      assertEquals(dst.length, end);
    }
  }

  @Test
  void writerStringMatchesUtf8Bytes() {
    for (String s : new String[] {"", "chan-01", "ascii only ~!", "näive", "日本語", "mixed ascii then é"}) {
      LittleEndianWriter fast = new LittleEndianWriter(4).string(s);
      LittleEndianWriter plain = new LittleEndianWriter(4).bytes(s.getBytes(StandardCharsets.UTF_8));
      assertArrayEquals(plain.toByteArray(), fast.toByteArray(), s);
      assertArrayEquals(plain.toByteArray(), fast.reset().string(s).toByteArray(), "after reset: " + s);
    }
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
