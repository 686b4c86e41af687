package dev.tokenauthority.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real shaded jar ({@code java -jar}, path from system property tokenauthority.jar) as a
 * separate process. Every run checks that no secret passed through the environment shows up on
 * stdout or stderr.
 */
final class CliProcess implements Cli {
  record Result(int exitCode, String stdout, String stderr) {
    String out() {
      return stdout.strip();
    }

    List<String> errLines() {
      return stderr.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  private final Map<String, String> env = new LinkedHashMap<>();

  static Path jar() {
    String jar = System.getProperty("tokenauthority.jar");
    assertThat(jar).as("system property tokenauthority.jar").isNotNull();
    assertThat(Files.isRegularFile(Path.of(jar))).as("runnable jar at %s", jar).isTrue();
    return Path.of(jar);
  }

  /** Puts a secret in the environment of every following run. */
  CliProcess env(String name, String secret) {
    env.put(name, secret);
    return this;
  }

  @Override
  public Result run(String... args) {
    return runWithStdin(null, args);
  }

  Result runWithStdin(String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      if (!p.waitFor(120, TimeUnit.SECONDS)) { // a hang guard, not a timing assertion
        p.destroyForcibly();
        throw new AssertionError("CLI did not finish: " + String.join(" ", args));
      }
      Result r = new Result(p.exitValue(), out.join(), err.join());
      for (String secret : env.values()) {
        assertThat(r.stdout()).as("stdout must not contain a secret").doesNotContain(secret);
        assertThat(r.stderr()).as("stderr must not contain a secret").doesNotContain(secret);
      }
      return r;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
