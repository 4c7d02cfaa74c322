package io.webtraffic.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The one place that decides which source wins when a setting is given twice. Highest first:
 *
 * <ol>
 *   <li>flags ({@code --set key=value} and the named flags), keyed without the "pipeline." prefix;
 *   <li>environment variables, {@code PIPELINE_} + the key ({@link ConfigLoader#envName});
 *   <li>the config file;
 *   <li>{@value ConfigLoader#DEFAULTS_RESOURCE}, which also lists every key there is.
 * </ol>
 *
 * A key the defaults do not know is rejected from any source (a typo must not be silently ignored),
 * except below the free-form {@code spark.extra}; a secret is rejected from the file and the flags.
 * The result is the resolved {@code pipeline} section.
 */
final class ConfigLayers {
  static final String ROOT = "pipeline";

  /** Spark settings passed through as given; their keys are Spark's, not ours. */
  static final String FREE_FORM = "spark.extra";

  private final Config defaults;
  private final Set<String> knownKeys;

  ConfigLayers() {
    this.defaults =
        ConfigFactory.parseResources(
                ConfigLayers.class.getClassLoader(),
                ConfigLoader.DEFAULTS_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false))
            .resolve();
    this.knownKeys =
        defaults.getConfig(ROOT).entrySet().stream()
            .map(Map.Entry::getKey)
            .filter(k -> !k.startsWith(FREE_FORM + "."))
            .collect(Collectors.toUnmodifiableSet());
  }

  /** The {@code pipeline} section of all sources merged, resolved. */
  Config merge(Optional<Path> file, Map<String, String> env, Map<String, String> flags) {
    Config fromFile = file.map(this::parseFile).orElse(ConfigFactory.empty());
    Config fromEnv = overrides(envSettings(env), "environment variable ");
    Config fromFlags = overrides(flags, "flag --set ");
    Config merged =
        fromFlags.withFallback(fromEnv).withFallback(fromFile).withFallback(defaults).resolve();
    return merged.getConfig(ROOT);
  }

  private Config parseFile(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new InvalidConfigException("Cannot read config file " + path + ": no such file");
    }
    Config parsed;
    try {
      parsed =
          ConfigFactory.parseFile(
              path.toFile(),
              ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
    } catch (ConfigException e) {
      throw new InvalidConfigException("Cannot parse config file " + path + ": " + e.getMessage());
    }
    for (String key : parsed.entrySet().stream().map(Map.Entry::getKey).toList()) {
      checkKnown(
          key.startsWith(ROOT + ".") ? key.substring(ROOT.length() + 1) : key,
          "config file " + path + " key ");
    }
    return parsed;
  }

  /** The environment variables named after known keys, keyed by the setting they give. */
  private Map<String, String> envSettings(Map<String, String> env) {
    Map<String, String> settings = new TreeMap<>();
    for (String key : knownKeys) {
      String value = env.get(ConfigLoader.envName(key));
      if (value != null) {
        settings.put(key, value);
      }
    }
    return settings;
  }

  /**
   * Settings given as strings (environment, flags) as a config; where the default is a list, the
   * string is comma-separated.
   */
  private Config overrides(Map<String, String> settings, String source) {
    Config config = ConfigFactory.empty();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey();
      checkKnown(key, source);
      String path = ROOT + "." + key;
      ConfigValue value =
          defaults.hasPath(path) && defaults.getValue(path).valueType() == ConfigValueType.LIST
              ? ConfigValueFactory.fromIterable(splitList(e.getValue()))
              : ConfigValueFactory.fromAnyRef(e.getValue());
      config = config.withValue(path, value);
    }
    return config;
  }

  private static List<String> splitList(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private void checkKnown(String key, String source) {
    EnvironmentSecrets.refuseOutsideEnvironment(key, source);
    if (key.startsWith(FREE_FORM + ".") || key.equals(FREE_FORM)) {
      return;
    }
    if (!knownKeys.contains(key)) {
      throw new InvalidConfigException(
          String.format(
              "Unknown setting '%s' (from %s%s); known settings are listed in %s",
              key, source, key, ConfigLoader.DEFAULTS_RESOURCE));
    }
  }
}
