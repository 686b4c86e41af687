package dev.tokenauthority.cli;

import static dev.tokenauthority.core.diagnose.DiagnosisTokens.ISSUED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenauthority.core.agora.RtcUser;
import dev.tokenauthority.core.diagnose.DiagnosisTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What {@code inspect} prints: the README's list of {@code --json} keys is exactly what the
 * command prints (with and without {@code --expect-*}), and the text form is aligned, with RFC 3339
 * times beside their unix seconds and readable privileges.
 */
class InspectOutputTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TOKEN = DiagnosisTokens.rtc("room1", RtcUser.uid(42), true, 300);

  /** The README sentence listing the keys: top level before "; with `--expect-*` also", then the judged ones. */
  static String readmeKeySentence() throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("user.dir")).resolveSibling("README.md"))
        .replaceAll("\\s+", " ");
    int start = readme.indexOf("`inspect --json` prints one JSON object with exactly these keys:");
    assertThat(start).as("README states the --json keys").isNotNegative();
    return readme.substring(start, readme.indexOf(".", readme.indexOf("`findings`", start)));
  }

  static List<String> backticked(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("`([a-z_]+)`").matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Top-level keys: the backticked names outside parentheses. */
  static List<String> topLevel(String text) {
    return backticked(text.replaceAll("\\([^)]*\\)", ""));
  }

  /** The keys in the parentheses right after {@code `name`}. */
  static List<String> nested(String text, String name) {
    int at = text.indexOf("`" + name + "` (");
    return backticked(text.substring(at, text.indexOf(")", at)).replace("`" + name + "`", ""));
  }

  static List<String> keys(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void theReadmeListsExactlyTheKeysInspectJsonPrints() throws Exception {
    String sentence = readmeKeySentence();
    String plain = sentence.substring(0, sentence.indexOf("; with `--expect-*` also"));
    String judged = sentence.substring(sentence.indexOf("; with `--expect-*` also"));

    InspectExpectCliTest.Run run = InspectExpectCliTest.inspect(TOKEN, "--certificate-env", "CERT", "--json",
        "--at", Long.toString(ISSUED + 60));
    assertThat(run.exit()).isZero();
    JsonNode json = JSON.readTree(run.out());
    assertThat(keys(json)).containsExactlyInAnyOrderElementsOf(topLevel(plain));
    assertThat(keys(json.get("privileges").get(0))).containsExactlyInAnyOrderElementsOf(nested(plain, "privileges"));

    InspectExpectCliTest.Run expected = InspectExpectCliTest.inspect(TOKEN, "--certificate-env", "CERT", "--json",
        "--expect-uid", "7", "--at", Long.toString(ISSUED + 60));
    JsonNode withUse = JSON.readTree(expected.out());
    List<String> all = new ArrayList<>(topLevel(plain));
    all.addAll(topLevel(judged));
    assertThat(keys(withUse)).containsExactlyInAnyOrderElementsOf(all);
    assertThat(keys(withUse.get("findings").get(0))).containsExactlyInAnyOrderElementsOf(nested(judged, "findings"));
  }

  @Test
  void textIsAlignedWithRfc3339TimesAndReadablePrivileges() {
    InspectExpectCliTest.Run run = InspectExpectCliTest.inspect(TOKEN, "--certificate-env", "CERT",
        "--at", Long.toString(ISSUED + 60));
    assertThat(run.exit()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).contains(
        "issued_at           2025-12-03T08:00:00Z (1764748800)",
        "expires_at          2025-12-03T09:00:00Z (1764752400)",
        "earliest_expiry     2025-12-03T08:05:00Z (1764749100)",
        "privileges          rtc join_channel (1)         expires 2025-12-03T08:05:00Z (1764749100)",
        "                    rtc publish_audio (2)        expires with the token",
        "verified            yes");
    assertThat(run.out()).doesNotContain("{service=", "[{");
    // Every line's value starts in the same column.
    int column = lines.get(0).indexOf("agora-007");
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isGreaterThan(column)
        .satisfies(n -> assertThat(l.charAt(column - 1)).isEqualTo(' '))
        .satisfies(n -> assertThat(l.charAt(column)).isNotEqualTo(' ')));
  }
}
