package dev.tokenauthority.cli;

/** One way to run the CLI: in this JVM ({@link CliInProcess}) or as the jar ({@link CliProcess}). */
interface Cli {
  CliProcess.Result run(String... args);

  /** In-process for the bulk, the real jar when {@code asProcess}; both with the same secrets. */
  static Cli of(boolean asProcess, String... envNamesAndSecrets) {
    CliProcess process = new CliProcess();
    CliInProcess inProcess = new CliInProcess();
    for (int i = 0; i < envNamesAndSecrets.length; i += 2) {
      process.env(envNamesAndSecrets[i], envNamesAndSecrets[i + 1]);
      inProcess.env(envNamesAndSecrets[i], envNamesAndSecrets[i + 1]);
    }
    return asProcess ? process : inProcess;
  }
}
