package io.webtraffic.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags only the streaming job uses: how often it runs, where it starts, how much per batch.
 */
final class JobOptions {
  @Mixin CheckpointOption checkpoint;

  @Option(
      names = "--trigger",
      paramLabel = "INTERVAL",
      description = "availableNow, or a processing-time interval such as '5 seconds'.")
  String trigger;

  @Option(
      names = "--starting-position",
      paramLabel = "POSITION",
      description =
          "earliest | latest | timestamp:<instant> | JSON offsets (new checkpoints only).")
  String startingPosition;

  @Option(
      names = "--max-offsets-per-trigger",
      paramLabel = "N",
      description = "At most N records per micro-batch (0 = no limit).")
  Long maxOffsetsPerTrigger;

  Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>(checkpoint.flags());
    ConfigOptions.putIf(flags, "trigger", trigger);
    ConfigOptions.putIf(flags, "kafka.starting-position", startingPosition);
    ConfigOptions.putIf(flags, "kafka.max-offsets-per-trigger", maxOffsetsPerTrigger);
    return flags;
  }
}
