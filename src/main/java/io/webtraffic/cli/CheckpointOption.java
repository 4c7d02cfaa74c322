package io.webtraffic.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The checkpoint location, for the commands that read or prepare the job's checkpoint. */
final class CheckpointOption {
  @Option(
      names = "--checkpoint",
      paramLabel = "PATH",
      description = "Checkpoint location (default: checkpoint-location of the configuration).")
  String checkpoint;

  Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>();
    ConfigOptions.putIf(flags, "checkpoint-location", checkpoint);
    return flags;
  }
}
