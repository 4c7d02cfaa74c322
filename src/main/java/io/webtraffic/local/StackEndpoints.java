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
    String bootstrapServers,
    String jdbcUrl,
    String jdbcUser,
    Path warehouse,
    StackServices.Endpoints services) {
  public static final String KAFKA_BOOTSTRAP_SERVERS_ENV = "PIPELINE_KAFKA_BOOTSTRAP_SERVERS";
  public static final String POSTGRES_URL_ENV = "PIPELINE_POSTGRES_URL";
  public static final String POSTGRES_USER_ENV = "PIPELINE_POSTGRES_USER";
  public static final String ICEBERG_WAREHOUSE_ENV = "PIPELINE_ICEBERG_WAREHOUSE";
  // The optional services, as the job's own settings (a job run with this environment uses them)
  // and, for reading them back, as the stack knows them.
  static final String LOCAL_WAREHOUSE_ENV = "PIPELINE_STACK_WAREHOUSE_DIR";
  static final String S3_ENDPOINT_ENV = "PIPELINE_S3_ENDPOINT";
  static final String S3_PATH_STYLE_ENV = "PIPELINE_S3_PATH_STYLE_ACCESS";
  static final String S3_BUCKET_ENV = "PIPELINE_STACK_S3_BUCKET";
  static final String CHECKPOINT_ENV = "PIPELINE_CHECKPOINT_LOCATION";
  static final String CATALOG_TYPE_ENV = "PIPELINE_ICEBERG_CATALOG_TYPE";
  static final String CATALOG_URI_ENV = "PIPELINE_ICEBERG_CATALOG_URI";
  static final String IO_IMPL_ENV = "PIPELINE_ICEBERG_IO_IMPL";

  /** FileIO over Hadoop's file systems: s3a:// with the settings of pipeline.s3, or file:. */
  public static final String HADOOP_FILE_IO = "org.apache.iceberg.hadoop.HadoopFileIO";

  private static final String EXPORT = "export ";
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  public StackEndpoints {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(jdbcUser, "jdbcUser");
    warehouse = Objects.requireNonNull(warehouse, "warehouse").toAbsolutePath().normalize();
    Objects.requireNonNull(services, "services");
  }

  /** Kafka, PostgreSQL and a local warehouse only. */
  public StackEndpoints(String bootstrapServers, String jdbcUrl, String jdbcUser, Path warehouse) {
    this(bootstrapServers, jdbcUrl, jdbcUser, warehouse, StackServices.Endpoints.NONE);
  }

  /** The same stack reached through another Kafka listener (a SASL one, another broker). */
  public StackEndpoints withBootstrapServers(String servers) {
    return new StackEndpoints(servers, jdbcUrl, jdbcUser, warehouse, services);
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
    boolean s3 = values.containsKey(S3_BUCKET_ENV);
    boolean rest = "rest".equals(values.get(CATALOG_TYPE_ENV));
    return new StackEndpoints(
        required(values, KAFKA_BOOTSTRAP_SERVERS_ENV, file),
        required(values, POSTGRES_URL_ENV, file),
        required(values, POSTGRES_USER_ENV, file),
        Path.of(required(values, s3 ? LOCAL_WAREHOUSE_ENV : ICEBERG_WAREHOUSE_ENV, file)),
        new StackServices.Endpoints(
            s3 ? required(values, S3_ENDPOINT_ENV, file) : "",
            s3 ? required(values, S3_BUCKET_ENV, file) : "",
            rest ? required(values, CATALOG_URI_ENV, file) : ""));
  }

  /** The endpoints as the environment variables the pipeline reads, in file order. */
  public Map<String, String> asEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(KAFKA_BOOTSTRAP_SERVERS_ENV, bootstrapServers);
    env.put(POSTGRES_URL_ENV, jdbcUrl);
    env.put(POSTGRES_USER_ENV, jdbcUser);
    env.put(ICEBERG_WAREHOUSE_ENV, warehouse.toString());
    if (services.hasObjectStore()) {
      // Checkpoint and warehouse on the object store, as conf/k8s.conf puts them on S3.
      env.put(LOCAL_WAREHOUSE_ENV, warehouse.toString());
      env.put(ICEBERG_WAREHOUSE_ENV, services.s3a("warehouse"));
      env.put(CHECKPOINT_ENV, services.s3a("checkpoints/webtraffic"));
      env.put(S3_ENDPOINT_ENV, services.s3Endpoint());
      env.put(S3_PATH_STYLE_ENV, "true");
      env.put(S3_BUCKET_ENV, services.bucket());
    }
    if (services.hasRestCatalog()) {
      env.put(CATALOG_TYPE_ENV, "rest");
      env.put(CATALOG_URI_ENV, services.restUri());
      env.put(IO_IMPL_ENV, HADOOP_FILE_IO);
    }
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
