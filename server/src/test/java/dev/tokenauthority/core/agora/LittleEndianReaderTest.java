package dev.tokenauthority.core.agora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.core.MalformedTokenException;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LittleEndianReaderTest {
  private static LittleEndianReader reader(byte... b) {
    return new LittleEndianReader(b, 0, b.length);
  }

  @Test
  void roundTripsEveryType() {
    TreeMap<Integer, Long> map = new TreeMap<>();
    map.put(1, 0xFFFF_FFFFL);
    map.put(65535, 0L);
    byte[] bytes = new LittleEndianWriter(4).u16(0xBEEF).u32(0xDEADBEEFL).string("h\u00e9").map(map).toByteArray();
    LittleEndianReader r = reader(bytes);
    assertThat(r.u16()).isEqualTo(0xBEEF);
    assertThat(r.u32()).isEqualTo(0xDEADBEEFL);
    assertThat(r.string()).isEqualTo("h\u00e9");
    assertThat(r.map()).isEqualTo(map);
    r.expectEnd();
    // Little-endian on the wire.
    assertThat(bytes[0]).isEqualTo((byte) 0xEF);
    assertThat(bytes[1]).isEqualTo((byte) 0xBE);
  }

  @Test
  void lengthsPastTheEndAreMalformedNotIndexErrors() {
    assertThatThrownBy(() -> reader((byte) 1).u16()).isInstanceOf(MalformedTokenException.class)
        .extracting("reason").isEqualTo("TRUNCATED");
    assertThatThrownBy(() -> reader((byte) 1, (byte) 2, (byte) 3).u32()).extracting("reason").isEqualTo("TRUNCATED");
    assertThatThrownBy(() -> reader((byte) 5, (byte) 0, (byte) 'a').string()).extracting("reason").isEqualTo("TRUNCATED");
    assertThatThrownBy(() -> reader((byte) 0xFF, (byte) 0xFF).map()).extracting("reason").isEqualTo("TRUNCATED");
  }

  @Test
  void trailingBytesDuplicateKeysAndBadUtf8AreMalformed() {
    LittleEndianReader r = reader((byte) 0, (byte) 0, (byte) 9);
    r.u16();
    assertThatThrownBy(r::expectEnd).extracting("reason").isEqualTo("TRAILING_BYTES");
    byte[] dup = new LittleEndianWriter(4).u16(2).u16(1).u32(5).u16(1).u32(6).toByteArray();
    assertThatThrownBy(() -> reader(dup).map()).extracting("reason").isEqualTo("DUPLICATE_PRIVILEGE");
    assertThatThrownBy(() -> reader((byte) 1, (byte) 0, (byte) 0xC3).string()).extracting("reason").isEqualTo("BAD_UTF8");
  }
}
