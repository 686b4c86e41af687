package dev.tokenauthority.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The jar's default logging, set up in code; files (the operator's, the tests') still win. */
class DefaultLogConfiguratorTest {
  private static ch.qos.logback.classic.Logger root(LoggerContext ctx) {
    return ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Test
  void configuresThePlainStderrLineAtInfoWithJulLevelsInStep() {
    LoggerContext ctx = new LoggerContext();
    var status = new DefaultLogConfigurator(k -> null, name -> false).configure(ctx);

    assertThat(status).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    assertThat(root(ctx).getLevel()).isEqualTo(Level.INFO);
    var appender = (ConsoleAppender<ILoggingEvent>) root(ctx).getAppender(LogSetup.APPENDER);
    assertThat(appender).isNotNull();
    assertThat(appender.isStarted()).isTrue();
    assertThat(appender.getTarget()).isEqualTo("System.err");
    assertThat(((PatternLayoutEncoder) appender.getEncoder()).getPattern()).isEqualTo(LogSetup.PLAIN_PATTERN);
    assertThat(ctx.getCopyOfListenerList()).anyMatch(l -> l instanceof LevelChangePropagator);
  }

  @Test
  void stepsAsideForTheOperatorsFileAndForTestConfiguration() {
    LoggerContext operator = new LoggerContext();
    assertThat(new DefaultLogConfigurator(Map.of("logback.configurationFile", "/etc/ta/logback.xml")::get,
        name -> false).configure(operator)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(root(operator).getAppender(LogSetup.APPENDER)).isNull();

    LoggerContext tests = new LoggerContext();
    assertThat(new DefaultLogConfigurator(k -> null, "logback-test.xml"::equals).configure(tests))
        .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(root(tests).getAppender(LogSetup.APPENDER)).isNull();
  }

  @Test
  void logbackFindsItAsAService() {
    assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
        .contains(DefaultLogConfigurator.class);
  }
}
