package io.webtraffic.config;

import io.webtraffic.config.PipelineConfig.IcebergSettings;
import io.webtraffic.config.PipelineConfig.MaintenanceSettings;
import io.webtraffic.config.PipelineConfig.PromotedField;
import io.webtraffic.config.PipelineConfig.S3Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code pipeline.iceberg} and {@code pipeline.maintenance}: the catalog (a JDBC catalog
 * defaults to the PostgreSQL database), the tables' layout, the promoted fields, and the
 * housekeeping limits that keep a commit in progress safe.
 */
final class IcebergSettingsReader {
  static final String ENV_REST_CREDENTIAL = "PIPELINE_ICEBERG_REST_CREDENTIAL";
  static final String ENV_REST_TOKEN = "PIPELINE_ICEBERG_REST_TOKEN";

  /**
   * The columns of the events tables, which a promoted field must not be named after. The sink owns
   * the tables; this copy keeps config free of the sink, and IcebergSettingsReaderTest holds it
   * equal to {@code IcebergTables.eventTableColumns()}.
   */
  static final Set<String> EVENT_TABLE_COLUMNS =
      Set.of(
          "dedup_key",
          "event_time",
          "url",
          "referrer",
          "host",
          "ip",
          "user_agent",
          "ua_family",
          "ua_major",
          "device_family",
          "os_family",
          "headers",
          "user_id",
          "academy_id",
          "event_id",
          "payload",
          "kafka_partition",
          "kafka_offset",
          "kafka_timestamp",
          "country",
          "state",
          "city",
          "site_name",
          "owner",
          "environment",
          "batch_id",
          "watermark",
          "lateness_ms");

  private IcebergSettingsReader() {}

  /**
   * @param postgresUrl the JDBC URL a jdbc catalog without a URI of its own uses
   */
  static IcebergSettings read(CheckedConfig c, String postgresUrl, EnvironmentSecrets secrets) {
    String type = c.oneOf("iceberg.catalog-type", "hadoop", "jdbc", "rest");
    String uri = c.string("iceberg.catalog-uri").trim();
    if (type.equals("jdbc") && uri.isEmpty()) {
      uri = postgresUrl;
    }
    if (type.equals("rest") && uri.isEmpty()) {
      throw CheckedConfig.invalid(
          "iceberg.catalog-uri",
          "",
          "required when pipeline.iceberg.catalog-type is rest: the REST catalog's URL");
    }
    if (type.equals("jdbc") && !uri.startsWith("jdbc:")) {
      throw CheckedConfig.invalid(
          "iceberg.catalog-uri",
          uri,
          "a jdbc catalog needs a JDBC URL such as jdbc:postgresql://host:5432/db, or empty for"
              + " the database of pipeline.postgres.url");
    }
    long targetFileSize = c.config().getBytes("iceberg.target-file-size");
    if (targetFileSize < 1024 * 1024) {
      throw CheckedConfig.invalid(
          "iceberg.target-file-size",
          c.asWritten("iceberg.target-file-size"),
          "must be at least 1 MB, e.g. '128 MB'");
    }
    return new IcebergSettings(
        c.identifier("iceberg.catalog-name"),
        type,
        // A REST catalog's server decides where tables go; the warehouse is passed to it as written
        // (a location, or the name some servers give a warehouse, as Polaris does).
        type.equals("rest")
            ? c.string("iceberg.warehouse").trim()
            : c.location("iceberg.warehouse"),
        uri,
        c.identifier("iceberg.namespace"),
        c.oneOf("iceberg.partition-by", "hour", "day"),
        targetFileSize,
        c.oneOf("iceberg.write-distribution", "hash", "none"),
        promotedFields(c),
        ioImpl(c),
        secrets.get(ENV_REST_CREDENTIAL),
        secrets.get(ENV_REST_TOKEN));
  }

  /** Empty, or a Java class name: the class itself is loaded by Iceberg when the catalog starts. */
  private static String ioImpl(CheckedConfig c) {
    String value = c.string("iceberg.io-impl").trim();
    if (!value.isEmpty()
        && !value.matches("([A-Za-z_$][A-Za-z0-9_$]*\\.)+[A-Za-z_$][A-Za-z0-9_$]*")) {
      throw CheckedConfig.invalid(
          "iceberg.io-impl",
          value,
          "empty (the catalog's default) or a FileIO class name such as"
              + " org.apache.iceberg.hadoop.HadoopFileIO");
    }
    return value;
  }

  static S3Settings s3(CheckedConfig c) {
    String endpoint = c.string("s3.endpoint").trim();
    if (!endpoint.isEmpty() && !endpoint.matches("https?://[^/\\s]+/?")) {
      throw CheckedConfig.invalid(
          "s3.endpoint",
          endpoint,
          "empty (AWS S3) or an http:// or https:// URL of the store, e.g. http://127.0.0.1:19000");
    }
    return new S3Settings(endpoint, c.bool("s3.path-style-access"), c.string("s3.region").trim());
  }

  /** Entries {@code name:type}, each a new column of the events tables. */
  private static List<PromotedField> promotedFields(CheckedConfig c) {
    String key = "iceberg.promoted-fields";
    List<PromotedField> fields = new ArrayList<>();
    for (String entry : c.strings(key)) {
      String[] parts = entry.trim().split("\\s*:\\s*");
      if (parts.length != 2
          || !parts[0].matches("[a-z_][a-z0-9_]*")
          || !PromotedField.TYPES.contains(parts[1])) {
        throw CheckedConfig.invalid(
            key,
            entry,
            "allowed: name:type with a lower-case name and type one of "
                + String.join(", ", PromotedField.TYPES)
                + ", e.g. campaign:string");
      }
      if (EVENT_TABLE_COLUMNS.contains(parts[0])
          || fields.stream().anyMatch(f -> f.name().equals(parts[0]))) {
        throw CheckedConfig.invalid(
            key, entry, "the column " + parts[0] + " already exists in the events table");
      }
      fields.add(new PromotedField(parts[0], parts[1]));
    }
    return List.copyOf(fields);
  }

  static MaintenanceSettings maintenance(CheckedConfig c) {
    Duration orphanAge = c.positive("maintenance.orphan-age");
    if (orphanAge.compareTo(Duration.ofHours(1)) < 0) {
      throw CheckedConfig.invalid(
          "maintenance.orphan-age",
          c.asWritten("maintenance.orphan-age"),
          "must be at least 1 hour: a younger unreferenced file may belong to a commit in"
              + " progress");
    }
    return new MaintenanceSettings(
        c.positive("maintenance.snapshot-retention"),
        (int) c.atLeast("maintenance.min-snapshots", 1),
        orphanAge,
        c.positive("maintenance.closed-margin"),
        c.atLeast("maintenance.every-batches", 0));
  }
}
