package io.webtraffic.cli;

import io.webtraffic.config.ConfigLoader;
import io.webtraffic.config.PipelineConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The configuration options every command that needs the job's settings shares. */
final class ConfigOptions {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Config file (HOCON), e.g. conf/local.conf. Keys: see pipeline-defaults.conf.")
  Path file;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override any setting, e.g. --set kafka.topic=clicks (repeatable).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--trigger",
      paramLabel = "INTERVAL",
      description = "availableNow, or a processing-time interval such as '5 seconds'.")
  String trigger;

  @Option(names = "--checkpoint", paramLabel = "PATH", description = "Checkpoint location.")
  String checkpoint;

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

  PipelineConfig load() {
    Map<String, String> flags = new LinkedHashMap<>(settings);
    putIf(flags, "trigger", trigger);
    putIf(flags, "checkpoint-location", checkpoint);
    putIf(flags, "kafka.starting-position", startingPosition);
    putIf(
        flags,
        "kafka.max-offsets-per-trigger",
        maxOffsetsPerTrigger == null ? null : maxOffsetsPerTrigger.toString());
    return ConfigLoader.load(Optional.ofNullable(file), System.getenv(), flags, home());
  }

  /** The project folder: relative paths in the configuration resolve against it. */
  static Path home() {
    String home = System.getenv("PIPELINE_HOME");
    return Path.of(home == null || home.isEmpty() ? "." : home).toAbsolutePath().normalize();
  }

  private static void putIf(Map<String, String> flags, String key, String value) {
    if (value != null) {
      flags.put(key, value);
    }
  }
}
