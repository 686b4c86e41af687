package dev.tokenauthority.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Token Authority's default logging, set up in code rather than by a {@code logback.xml} in the jar:
 * one plain line per event on stderr ({@link LogSetup#PLAIN_PATTERN}), root at INFO, and
 * java.util.logging's levels kept in step with Logback's ({@link LevelChangePropagator}) so a
 * disabled level costs nothing on the JUL side (grpc-java logs through JUL).
 *
 * <p>Why code: reading an XML file makes Logback load the JDK's XML parser and its own Joran model
 * (about 700 classes, ~0.2 s of a 2 s start on the 2-core reference machine; docs/benchmarks.md,
 * "Start-up"). Registered in {@code META-INF/services}, so Logback asks it first. It steps aside
 * (Logback then reads files as usual) when the operator names a file with
 * {@code -Dlogback.configurationFile}, or when a {@code logback-test.xml} is on the class path.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class DefaultLogConfigurator extends ContextAwareBase implements Configurator {
  private final UnaryOperator<String> properties;
  private final Predicate<String> onClassPath;

  public DefaultLogConfigurator() {
    this(System::getProperty, name -> DefaultLogConfigurator.class.getClassLoader().getResource(name) != null);
  }

  DefaultLogConfigurator(UnaryOperator<String> properties, Predicate<String> onClassPath) {
    this.properties = properties;
    this.onClassPath = onClassPath;
  }

  @Override
  public ExecutionStatus configure(LoggerContext ctx) {
    if (properties.apply("logback.configurationFile") != null || onClassPath.test("logback-test.xml")) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LevelChangePropagator propagator = new LevelChangePropagator();
    propagator.setContext(ctx);
    propagator.setResetJUL(true);
    propagator.start();
    ctx.addListener(propagator);
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(LogSetup.console(ctx, LogSetup.APPENDER, "System.err",
        LogSetup.patternEncoder(ctx, LogSetup.PLAIN_PATTERN)));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
