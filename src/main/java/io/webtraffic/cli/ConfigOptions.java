package io.webtraffic.cli;

import io.webtraffic.config.ConfigLoader;
import io.webtraffic.config.PipelineConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every command that reads the job's settings shares: the config file and overrides.
 * The job-only flags live in {@link JobOptions} and {@link CheckpointOption}, so that a command's
 * help lists only what it uses.
 */
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

  PipelineConfig load() {
    return load(Map.of());
  }

  /** Loads the settings; {@code flags} (from a command's own options) win over {@code --set}. */
  PipelineConfig load(Map<String, String> flags) {
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.putAll(flags);
    return ConfigLoader.load(Optional.ofNullable(file), System.getenv(), all, home());
  }

  /** The project folder: relative paths in the configuration resolve against it. */
  static Path home() {
    String home = System.getenv("PIPELINE_HOME");
    return Path.of(home == null || home.isEmpty() ? "." : home).toAbsolutePath().normalize();
  }

  static void putIf(Map<String, String> flags, String key, Object value) {
    if (value != null) {
      flags.put(key, value.toString());
    }
  }
}
