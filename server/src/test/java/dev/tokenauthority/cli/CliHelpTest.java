package dev.tokenauthority.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Usage and --help through the CLI's real command tree, in-process (no server is started). */
class CliHelpTest {
  private final CliInProcess cli = new CliInProcess();

  /** Every command path of the real tree, e.g. [], [serve], [mint, agora-rtc]. */
  static Stream<List<String>> everyCommand() {
    List<List<String>> out = new ArrayList<>();
    collect(Main.commandLine(), new ArrayList<>(), out);
    return out.stream();
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    command.getSubcommands().forEach((name, sub) -> {
      if (sub.getCommandName().equals(name)) { // aliases would repeat a command
        List<String> next = new ArrayList<>(path);
        next.add(name);
        collect(sub, next, out);
      }
    });
  }

  @Test
  void theTreeHasTheDocumentedCommands() {
    assertThat(everyCommand().map(p -> String.join(" ", p))).contains("", "serve", "mint", "inspect",
        "mint agora-rtc", "mint agora-rtm", "mint agora-chat", "mint zego", "mint easemob");
  }

  @ParameterizedTest(name = "{0} --help")
  @MethodSource("everyCommand")
  void helpWorksOnEveryCommand(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    CliProcess.Result r = cli.run(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).isEmpty();
    assertThat(r.stdout()).startsWith(("Usage: token-authority " + String.join(" ", path)).strip());
    assertThat(r.stdout()).contains("-h, --help");
  }

  /** picocli's fallback label is the Java field's name in angle brackets, e.g. {@code <zegoAppId>}. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("everyCommand")
  void everyOptionIsDescribedAndNamesItsValue(List<String> path) {
    CommandLine command = Main.commandLine();
    for (String name : path) {
      command = command.getSubcommands().get(name);
    }
    for (CommandLine.Model.OptionSpec o : command.getCommandSpec().options()) {
      assertThat(String.join(" ", o.description())).as(path + " " + o.longestName() + " description").isNotBlank();
      if (o.arity().max() > 0) {
        assertThat(o.paramLabel()).as(path + " " + o.longestName() + " label").doesNotStartWith("<");
      }
    }
  }

  @Test
  void serveHelpPrintsItsOptionsAndDefaultsWithoutStartingAServer() {
    CliProcess.Result r = cli.run("serve", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).contains("--config=FILE", "--listen=HOST", "--port=PORT", "--health-port=PORT",
        "--reload-interval=SECONDS", "default: 30", "127.0.0.1:50051", "(50051)", "development default");
    assertThat(r.stdout()).as("no server started").doesNotContain("demo app ", "LISTENING 127.0.0.1:");
  }

  @Test
  void noArgumentsPrintsTheUsageOnStderrAsBadUsage() {
    CliProcess.Result r = cli.run();
    assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).startsWith("Usage: token-authority").contains("serve", "mint", "inspect");
  }

  @Test
  void mintWithoutAVendorPrintsItsUsageAsBadUsage() {
    CliProcess.Result r = cli.run("mint");
    assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.stderr()).startsWith("Usage: token-authority mint").contains("agora-rtc", "zego", "easemob");
  }

  @Test
  void anUnknownOptionIsOneLineOfBadUsage() {
    CliProcess.Result r = cli.run("serve", "--no-such-option");
    assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.errLines()).containsExactly("error: Unknown option: '--no-such-option'");
  }
}
