package dev.tokenauthority.core.agora;

import dev.tokenauthority.core.InvalidTokenInputException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;

/**
 * Appends Agora's little-endian wire types to a growable buffer. Not thread-safe: one per token.
 * Values are checked against their wire width so a bad value can never be silently truncated.
 */
public final class LittleEndianWriter {
  private byte[] buf;
  private int size;

  public LittleEndianWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  public LittleEndianWriter u16(int value) {
    if (value < 0 || value > 0xFFFF) {
      throw new InvalidTokenInputException("token", "VALUE_OUT_OF_RANGE", "u16 field out of range");
    }
    ensure(2);
    buf[size++] = (byte) value;
    buf[size++] = (byte) (value >>> 8);
    return this;
  }

  public LittleEndianWriter u32(long value) {
    if (value < 0 || value > AgoraLimits.MAX_U32) {
      throw new InvalidTokenInputException("token", "VALUE_OUT_OF_RANGE", "u32 field out of range");
    }
    ensure(4);
    buf[size++] = (byte) value;
    buf[size++] = (byte) (value >>> 8);
    buf[size++] = (byte) (value >>> 16);
    buf[size++] = (byte) (value >>> 24);
    return this;
  }

  /** A u16 length followed by the bytes. */
  public LittleEndianWriter bytes(byte[] value) {
    u16checkedLength(value.length);
    ensure(value.length);
    System.arraycopy(value, 0, buf, size, value.length);
    size += value.length;
    return this;
  }

  /** A u16 byte length followed by the UTF-8 bytes. */
  public LittleEndianWriter string(String value) {
    // ASCII (app ids, channel names, uids: nearly every field) is written without encoding to a
    // temporary array; anything else takes the general path.
    int n = value.length();
    if (n <= 0xFFFF) {
      ensure(2 + n);
      int start = size;
      int p = start + 2;
      for (int i = 0; i < n; i++) {
        char c = value.charAt(i);
        if (c >= 0x80) {
          return bytes(value.getBytes(StandardCharsets.UTF_8));
        }
        buf[p++] = (byte) c;
      }
      buf[start] = (byte) n;
      buf[start + 1] = (byte) (n >>> 8);
      size = p;
      return this;
    }
    return bytes(value.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code count} zero bytes (room for a value written later through {@link #buffer()}). */
  public LittleEndianWriter zeros(int count) {
    ensure(count);
    Arrays.fill(buf, size, size + count, (byte) 0);
    size += count;
    return this;
  }

  /** Empties the writer, keeping its buffer, so one writer can serve many tokens on a thread. */
  public LittleEndianWriter reset() {
    size = 0;
    return this;
  }

  /** A u16 count, then (u16 key, u32 value) pairs in ascending key order. */
  public LittleEndianWriter map(SortedMap<Integer, Long> map) {
    u16checkedLength(map.size());
    if (map instanceof PrivilegeMap p) { // the hot path: no boxing, no iterator
      for (int i = 0; i < p.count(); i++) {
        u16(p.keyAt(i));
        u32(p.valueAt(i));
      }
      return this;
    }
    for (Map.Entry<Integer, Long> e : map.entrySet()) {
      u16(e.getKey());
      u32(e.getValue());
    }
    return this;
  }

  /** Raw bytes without a length prefix. */
  public LittleEndianWriter raw(byte[] value, int offset, int length) {
    ensure(length);
    System.arraycopy(value, offset, buf, size, length);
    size += length;
    return this;
  }

  public int size() {
    return size;
  }

  /** The internal buffer; only the first {@link #size()} bytes are meaningful. No copy. */
  public byte[] buffer() {
    return buf;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  private void u16checkedLength(int length) {
    if (length > 0xFFFF) {
      throw new InvalidTokenInputException("token", "FIELD_TOO_LONG", "field longer than 65535 bytes");
    }
    u16(length);
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
    }
  }
}
