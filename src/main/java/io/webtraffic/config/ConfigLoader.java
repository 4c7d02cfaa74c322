package io.webtraffic.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the one {@link PipelineConfig}: merges the sources in their order of precedence ({@link
 * ConfigLayers}), refuses placeholders left from an example ({@link PlaceholderCheck}), then reads
 * and validates every section ({@link PipelineConfigReader}), so that a bad setting stops the job
 * before it starts. Secrets are accepted from the environment only ({@link EnvironmentSecrets}).
 */
public final class ConfigLoader {
  public static final String DEFAULTS_RESOURCE = "pipeline-defaults.conf";
  public static final String ENV_PREFIX = "PIPELINE_";
  public static final String ENV_POSTGRES_PASSWORD = "PIPELINE_POSTGRES_PASSWORD";
  public static final String ENV_POSTGRES_MIGRATE_PASSWORD = "PIPELINE_POSTGRES_MIGRATE_PASSWORD";
  public static final String ENV_SASL_USERNAME = "PIPELINE_KAFKA_SASL_USERNAME";
  public static final String ENV_SASL_PASSWORD = "PIPELINE_KAFKA_SASL_PASSWORD";

  private ConfigLoader() {}

  /**
   * Loads the configuration; relative paths resolve against {@code home} (the project folder).
   *
   * @param file the config file, if any
   * @param env environment variables (System.getenv() in production)
   * @param flags settings from the command line, keyed like the file without the "pipeline." prefix
   */
  public static PipelineConfig load(
      Optional<Path> file, Map<String, String> env, Map<String, String> flags, Path home) {
    Config merged = new ConfigLayers().merge(file, env, flags);
    PlaceholderCheck.check(merged);
    try {
      return PipelineConfigReader.read(
          new CheckedConfig(merged, home), new EnvironmentSecrets(env));
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw new InvalidConfigException(describe(e));
    }
  }

  /**
   * The environment variable of a key: kafka.bootstrap-servers is PIPELINE_KAFKA_BOOTSTRAP_SERVERS.
   */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase().replace('.', '_').replace('-', '_');
  }

  /** Typesafe's message without its own prefix, with where the value came from. */
  private static String describe(ConfigException e) {
    String origin = e.origin() == null ? "" : " (" + e.origin().description() + ")";
    String message = e.getMessage().replaceFirst("^.*?: ", "");
    return message + origin;
  }
}
