package dev.tokenauthority.core.agora;

import dev.tokenauthority.core.MalformedTokenException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SortedMap;

/**
 * Reads Agora's little-endian wire types from a byte range. Every read is bounds-checked: reading
 * past the end throws {@link MalformedTokenException} (TRUNCATED), never an index exception.
 * Strings must be valid UTF-8 (a lossy decode would misreport what the token says).
 */
public final class LittleEndianReader {
  private static final ThreadLocal<CharsetDecoder> UTF8 =
      ThreadLocal.withInitial(
          () ->
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT));

  private final byte[] buf;
  private final int end;
  private int pos;

  public LittleEndianReader(byte[] buf, int offset, int length) {
    if (offset < 0 || length < 0 || offset > buf.length - length) {
      throw new IllegalArgumentException("range outside the buffer");
    }
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  public int position() {
    return pos;
  }

  public int remaining() {
    return end - pos;
  }

  public int u16() {
    need(2);
    int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
    pos += 2;
    return v;
  }

  public long u32() {
    need(4);
    long v =
        (buf[pos] & 0xFFL)
            | (buf[pos + 1] & 0xFFL) << 8
            | (buf[pos + 2] & 0xFFL) << 16
            | (buf[pos + 3] & 0xFFL) << 24;
    pos += 4;
    return v;
  }

  /** u16 length, then that many bytes (copied). */
  public byte[] bytes() {
    int len = u16();
    need(len);
    byte[] out = Arrays.copyOfRange(buf, pos, pos + len);
    pos += len;
    return out;
  }

  /** u16 length, then that many bytes of strict UTF-8. */
  public String string() {
    int len = u16();
    need(len);
    String s = decodeUtf8(buf, pos, len);
    pos += len;
    return s;
  }

  /**
   * u16 count, then (u16 key, u32 value) pairs. Duplicate keys are malformed: a map cannot hold
   * them and silently keeping one would misreport the token.
   */
  public SortedMap<Integer, Long> map() {
    int count = u16();
    need(count * 6);
    // Into a PrivilegeMap's arrays, not a TreeMap: no node or boxed key and value per entry (a
    // parse built both, then copied the TreeMap into a PrivilegeMap).
    int[] keys = new int[count];
    long[] values = new long[count];
    for (int i = 0; i < count; i++) {
      keys[i] = u16();
      values[i] = u32();
    }
    try {
      return PrivilegeMap.of(keys, values, count);
    } catch (IllegalArgumentException duplicateKey) {
      throw new MalformedTokenException("DUPLICATE_PRIVILEGE", "a privilege appears twice");
    }
  }

  /** Fails unless every byte has been read. */
  public void expectEnd() {
    if (pos != end) {
      throw new MalformedTokenException("TRAILING_BYTES", (end - pos) + " unexpected trailing bytes");
    }
  }

  private void need(int n) {
    if (n > end - pos) {
      throw new MalformedTokenException("TRUNCATED", "a length runs past the end of the token");
    }
  }

  /** Strict UTF-8 decode; pure ASCII (the common case) skips the decoder. */
  public static String decodeUtf8(byte[] b, int off, int len) {
    boolean ascii = true;
    for (int i = off; i < off + len; i++) {
      if (b[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
    try {
      return UTF8.get().reset().decode(ByteBuffer.wrap(b, off, len)).toString();
    } catch (CharacterCodingException e) {
      throw new MalformedTokenException("BAD_UTF8", "a text field is not valid UTF-8");
    }
  }
}
