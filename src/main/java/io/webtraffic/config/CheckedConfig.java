package io.webtraffic.config;

import com.typesafe.config.Config;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The merged {@code pipeline} section with getters that validate as they read. A value outside what
 * is allowed stops the job with {@code Invalid pipeline.<key>: '<value>' (<what is allowed>)}, so
 * every message names the setting to change; there is no fallback to a default. Keys are given
 * without the "pipeline." prefix, as in flags.
 */
final class CheckedConfig {
  private static final String PREFIX = ConfigLayers.ROOT + ".";

  private final Config config;
  private final Path home;

  /**
   * @param config the merged {@code pipeline} section
   * @param home the folder relative paths resolve against
   */
  CheckedConfig(Config config, Path home) {
    this.config = config;
    this.home = home;
  }

  /** The error for {@code key}; {@code allowed} says what would be accepted. */
  static InvalidConfigException invalid(String key, Object value, String allowed) {
    return InvalidConfigException.invalid(PREFIX + key, value, allowed);
  }

  /** The underlying section, for reads that need no check. */
  Config config() {
    return config;
  }

  /** The value as it was written (e.g. "10 minutes" rather than a Duration), for messages. */
  Object asWritten(String key) {
    return config.getValue(key).unwrapped();
  }

  String string(String key) {
    return config.getString(key);
  }

  boolean bool(String key) {
    return config.getBoolean(key);
  }

  List<String> strings(String key) {
    return config.getStringList(key);
  }

  String nonEmpty(String key) {
    String value = config.getString(key).trim();
    if (value.isEmpty()) {
      throw invalid(key, value, "must not be empty");
    }
    return value;
  }

  /** A name usable unquoted in SQL: a catalog, namespace or schema. */
  String identifier(String key) {
    String value = nonEmpty(key);
    if (!value.matches("[a-z_][a-z0-9_]*")) {
      throw invalid(
          key, value, "allowed: lower-case letters, digits and '_', not starting with a digit");
    }
    return value;
  }

  String oneOf(String key, String... allowed) {
    String value = config.getString(key).trim();
    if (!Arrays.asList(allowed).contains(value)) {
      throw invalid(key, value, "allowed: " + String.join(", ", allowed));
    }
    return value;
  }

  long atLeast(String key, long min) {
    long value = config.getLong(key);
    if (value < min) {
      throw invalid(key, value, "must be >= " + min);
    }
    return value;
  }

  long between(String key, long min, long max) {
    long value = config.getLong(key);
    if (value < min || value > max) {
      throw invalid(key, value, "must be between " + min + " and " + max);
    }
    return value;
  }

  Duration positive(String key) {
    Duration value = config.getDuration(key);
    if (value.isNegative() || value.isZero()) {
      throw invalid(key, asWritten(key), "must be a positive duration such as '10 minutes'");
    }
    return value;
  }

  /** A Java regular expression, checked here so that a typo does not fail the first batch. */
  String regex(String key) {
    String value = config.getString(key);
    try {
      Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      throw invalid(key, value, "not a valid Java regular expression: " + e.getDescription());
    }
    return value;
  }

  /**
   * A folder for the checkpoint or the warehouse: a URI with a scheme ({@code s3a://}, {@code
   * hdfs://}, {@code file:}) as given, or a path, made absolute against {@code home}.
   */
  String location(String key) {
    String value = nonEmpty(key);
    boolean hasScheme = value.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || value.startsWith("file:");
    if (hasScheme) {
      URI.create(value.replace(" ", "%20"));
      return value;
    }
    return home.resolve(value).toAbsolutePath().normalize().toString();
  }
}
