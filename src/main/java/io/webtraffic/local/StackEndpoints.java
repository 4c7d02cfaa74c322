package io.webtraffic.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a running stack can be reached. Saved as a shell-sourceable env file so that scripts,
 * notebooks and the pipeline's own configuration (which reads these variables) find the stack
 * without extra flags.
 */
public record StackEndpoints(
    String bootstrapServers, String jdbcUrl, String jdbcUser, Path warehouse) {
  public static final String KAFKA_BOOTSTRAP_SERVERS_ENV = "PIPELINE_KAFKA_BOOTSTRAP_SERVERS";
  public static final String POSTGRES_URL_ENV = "PIPELINE_POSTGRES_URL";
  public static final String POSTGRES_USER_ENV = "PIPELINE_POSTGRES_USER";
  public static final String ICEBERG_WAREHOUSE_ENV = "PIPELINE_ICEBERG_WAREHOUSE";

  private static final String EXPORT = "export ";
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  public StackEndpoints {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(jdbcUser, "jdbcUser");
    warehouse = Objects.requireNonNull(warehouse, "warehouse").toAbsolutePath().normalize();
  }

  /** The same stack reached through another Kafka listener (a SASL one, another broker). */
  public StackEndpoints withBootstrapServers(String servers) {
    return new StackEndpoints(servers, jdbcUrl, jdbcUser, warehouse);
  }

  /**
   * Writes {@code export NAME=value} lines; atomically, because other processes poll for this file.
   */
  public void writeEnvFile(Path file) {
    StringBuilder content = new StringBuilder();
    asEnv()
        .forEach(
            (name, value) ->
                content
                    .append(EXPORT)
                    .append(name)
                    .append('=')
                    .append(shellQuote(value))
                    .append('\n'));
    AtomicFiles.write(file, content.toString());
  }

  /** Reads a file written by {@link #writeEnvFile}. */
  public static StackEndpoints readEnvFile(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read stack env file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> values = new HashMap<>();
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String assignment = trimmed.startsWith(EXPORT) ? trimmed.substring(EXPORT.length()) : trimmed;
      int eq = assignment.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            String.format(
                "Invalid line in stack env file %s: '%s' (expected export NAME=value)",
                file, line));
      }
      values.put(assignment.substring(0, eq), shellUnquote(assignment.substring(eq + 1)));
    }
    return new StackEndpoints(
        required(values, KAFKA_BOOTSTRAP_SERVERS_ENV, file),
        required(values, POSTGRES_URL_ENV, file),
        required(values, POSTGRES_USER_ENV, file),
        Path.of(required(values, ICEBERG_WAREHOUSE_ENV, file)));
  }

  /** The endpoints as the environment variables the pipeline reads, in file order. */
  public Map<String, String> asEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(KAFKA_BOOTSTRAP_SERVERS_ENV, bootstrapServers);
    env.put(POSTGRES_URL_ENV, jdbcUrl);
    env.put(POSTGRES_USER_ENV, jdbcUser);
    env.put(ICEBERG_WAREHOUSE_ENV, warehouse.toString());
    return env;
  }

  private static String required(Map<String, String> values, String name, Path file) {
    String value = values.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(
          String.format("Invalid stack env file %s: missing %s", file, name));
    }
    return value;
  }

  private static String shellQuote(String value) {
    if (SHELL_SAFE.matcher(value).matches()) {
      return value;
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }

  private static String shellUnquote(String value) {
    if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
      return value.substring(1, value.length() - 1).replace("'\\''", "'");
    }
    return value;
  }
}
