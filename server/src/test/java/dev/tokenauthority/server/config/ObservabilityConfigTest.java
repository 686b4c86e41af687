package dev.tokenauthority.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The logging and audit keys an operator gets wrong most easily are refused naming the key. */
class ObservabilityConfigTest {
  @Test
  void aBadLevelIsRefusedNamingKeyAndValue() {
    assertThatThrownBy(() -> FairnessConfigTest.parse("logging: {level: verbose}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("logging.level: must be trace, debug, info, warn, error or off, got 'verbose'");
    assertThat(FairnessConfigTest.parse("logging: {level: debug, format: json}\n").observability().logging())
        .isEqualTo(new ObservabilityConfig.Logging("DEBUG", ObservabilityConfig.LogFormat.JSON));
  }

  @Test
  void aBareOffIsExplainedAndAQuotedOneWorks() {
    assertThatThrownBy(() -> FairnessConfigTest.parse("logging: {level: off}\n"))
        .hasMessage("logging.level: must be trace, debug, info, warn, error or off, got 'false'"
            + " (YAML reads a bare off as false: write \"off\")");
    assertThat(FairnessConfigTest.parse("logging: {level: \"off\"}\n").observability().logging().level())
        .isEqualTo("OFF");
  }

  @Test
  void sinkFileNeedsThePathNamingIt() {
    assertThatThrownBy(() -> FairnessConfigTest.parse("audit: {sink: file}\n"))
        .hasMessage("audit.file.path: is required when sink is file");
  }

  @Test
  void anAuditFileWithoutSinkFileIsRefusedNotIgnored() {
    assertThatThrownBy(() -> FairnessConfigTest.parse("audit: {file: {path: /var/log/ta/audit.jsonl}}\n"))
        .hasMessage("audit.file: applies only with sink: file (sink is stderr)");
    assertThat(FairnessConfigTest.parse("audit: {sink: file, file: {path: /var/log/ta/audit.jsonl}}\n")
        .observability().audit().sink()).isEqualTo(ObservabilityConfig.AuditSink.FILE);
  }
}
