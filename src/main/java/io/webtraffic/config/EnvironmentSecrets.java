package io.webtraffic.config;

import io.webtraffic.config.PipelineConfig.Secret;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings that are secrets. They are read from the environment only: a password in the config
 * file or on the command line ends up in version control, shell history and process listings. They
 * are held as {@link Secret}, which never prints.
 */
final class EnvironmentSecrets {
  /** The keys of the secrets, as they would be written in the file or with --set. */
  private static final Set<String> KEYS =
      Set.of(
          "postgres.password",
          "postgres.migrate-password",
          "kafka.sasl-username",
          "kafka.sasl-password",
          "iceberg.rest-credential",
          "iceberg.rest-token");

  /**
   * Spark and Hadoop settings that hold keys, passwords or tokens; refused below {@code
   * spark.extra}, whose keys are otherwise passed through as given.
   */
  private static final List<String> SECRET_SUFFIXES =
      List.of(
          ".access.key",
          ".secret.key",
          ".session.token",
          ".access-key-id",
          ".secret-access-key",
          ".session-token",
          ".credential",
          ".token",
          ".password");

  private final Map<String, String> env;

  EnvironmentSecrets(Map<String, String> env) {
    this.env = env;
  }

  /**
   * Stops a secret given in the config file or as a flag, naming its environment variable.
   *
   * @param source where the key was found, e.g. "flag --set "
   */
  static void refuseOutsideEnvironment(String key, String source) {
    String passedThrough = key.replace("\"", "");
    if (passedThrough.startsWith(ConfigLayers.FREE_FORM + ".")
        && SECRET_SUFFIXES.stream().anyMatch(passedThrough::endsWith)) {
      throw new InvalidConfigException(
          String.format(
              "Cannot take %s from %s%s: secrets come from the environment only (S3 keys:"
                  + " AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY; a REST catalog's:"
                  + " PIPELINE_ICEBERG_REST_CREDENTIAL or PIPELINE_ICEBERG_REST_TOKEN; see README"
                  + " \"Object stores and REST catalogs\")",
              passedThrough, source, passedThrough));
    }
    if (KEYS.contains(key)) {
      throw new InvalidConfigException(
          String.format(
              "Cannot take %s from %s%s: secrets come from the environment only (%s)",
              key, source, key, ConfigLoader.envName(key)));
    }
  }

  /** The secret in the environment variable {@code name}; empty when unset or empty. */
  Optional<Secret> get(String name) {
    String value = env.get(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(new Secret(value));
  }
}
