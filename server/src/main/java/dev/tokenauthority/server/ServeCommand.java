package dev.tokenauthority.server;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the gRPC service: with no config, the loopback-only development default. */
@Command(name = "serve", description = "Run the Token Authority gRPC service.")
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--config", description = "YAML configuration file; without it, the development default.")
  Path config;

  @Override
  public Integer call() {
    throw new UnsupportedOperationException("serve is not implemented yet");
  }
}
