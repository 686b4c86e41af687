package dev.tokenauthority.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The parse facade detects every vendor vector's format and reads its app id when it is in the clear. */
class AnyTokenTest {
  static Stream<Arguments> vectors() {
    List<Arguments> out = new ArrayList<>();
    for (String file : List.of("agora", "zego", "easemob")) {
      for (JsonNode c : Vectors.cases(file)) {
        out.add(Arguments.of(c.get("format").asText(), c.get("token").asText(),
            c.has("app_id") ? c.get("app_id").asText() : c.has("appkey") ? c.get("appkey").asText() : null));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} #{index}")
  @MethodSource("vectors")
  void detectsTheFormatOfEveryVector(String format, String token, String appId) {
    AnyToken t = AnyToken.parse(token);
    assertThat(t.format().id()).isEqualTo(format);
    assertThat(AnyToken.detect(token)).isEqualTo(t.format());
    if (format.equals("zego-04")) {
      assertThat(t.claims()).isEmpty();
      assertThat(t.asZego04()).isPresent();
    } else {
      assertThat(t.appId()).contains(appId);
      assertThat(t.statedExpiry()).isEqualTo(t.claims().orElseThrow().expiresAt());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "hello", "008abc", "ZH", "{\"dt\":1}"})
  void anythingElseIsMalformed(String token) {
    assertThatThrownBy(() -> AnyToken.parse(token)).isInstanceOf(MalformedTokenException.class);
    assertThatThrownBy(() -> AnyToken.detect(token)).isInstanceOf(MalformedTokenException.class);
  }

  @Test
  void detectReadsOnlyThePrefix() {
    // The CLI relies on this to call a wrong-vendor credential bad usage before a parse error.
    assertThat(AnyToken.detect("04***")).isEqualTo(TokenFormat.ZEGO_04);
    assertThatThrownBy(() -> AnyToken.parse("04***")).isInstanceOf(MalformedTokenException.class);
  }
}
