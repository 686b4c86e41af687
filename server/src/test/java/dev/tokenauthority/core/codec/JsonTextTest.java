package dev.tokenauthority.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** JsonText must match ECMAScript JSON.stringify (ES2019 well-formed stringify), the vendors' reference. */
class JsonTextTest {
  @Test
  void quotesAndBackslashesAreEscapedSlashIsNot() {
    assertThat(JsonText.quote("a\"b\\c/")).isEqualTo("\"a\\\"b\\\\c/\"");
  }

  @Test
  void controlCharactersUseShortEscapesOrLowercaseUnicodeEscapes() {
    assertThat(JsonText.quote("\u0001\u001f\b\f\n\r\t")).isEqualTo("\"\\u0001\\u001f\\b\\f\\n\\r\\t\"");
  }

  @Test
  void nonAsciiAndLineSeparatorsStayLiteral() {
    assertThat(JsonText.quote("é😀\u2028")).isEqualTo("\"é😀\u2028\"");
  }

  @Test
  void loneSurrogatesAreEscapedAndDetected() {
    assertThat(JsonText.quote("\ud800x")).isEqualTo("\"\\ud800x\"");
    assertThat(JsonText.quote("x\udc00")).isEqualTo("\"x\\udc00\"");
    assertThat(JsonText.hasLoneSurrogate("\ud800x")).isTrue();
    assertThat(JsonText.hasLoneSurrogate("x\udc00")).isTrue();
    assertThat(JsonText.hasLoneSurrogate("😀")).isFalse();
  }
}
