package io.webtraffic.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.webtraffic.sink.IcebergTables;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IcebergSettingsReaderTest {
  static final String POSTGRES_URL = "jdbc:postgresql://db:5432/lake";

  static String error(Map<String, String> flags) {
    CheckedConfig c = CheckedSections.withFlags(flags);
    return assertThrows(
            InvalidConfigException.class,
            () -> IcebergSettingsReader.read(c, POSTGRES_URL, new EnvironmentSecrets(Map.of())))
        .getMessage();
  }

  /** Config keeps its own copy so as not to depend on the sink; a new column must reach both. */
  @Test
  void theReservedColumnsAreTheEventTablesColumns() {
    assertEquals(
        Set.copyOf(IcebergTables.eventTableColumns()), IcebergSettingsReader.EVENT_TABLE_COLUMNS);
  }

  @Test
  void aPromotedFieldTakesNoNameTwice() {
    assertEquals(
        "Invalid pipeline.iceberg.promoted-fields: 'country:string' (the column country already"
            + " exists in the events table)",
        error(Map.of("iceberg.promoted-fields", "country:string")));
    assertEquals(
        "Invalid pipeline.iceberg.promoted-fields: 'campaign:int' (the column campaign already"
            + " exists in the events table)",
        error(Map.of("iceberg.promoted-fields", "campaign:string,campaign:int")));
  }

  @Test
  void aJdbcCatalogNeedsAJdbcUrl() {
    assertEquals(
        "Invalid pipeline.iceberg.catalog-uri: 'http://rest:8181' (a jdbc catalog needs a JDBC URL"
            + " such as jdbc:postgresql://host:5432/db, or empty for the database of"
            + " pipeline.postgres.url)",
        error(Map.of("iceberg.catalog-type", "jdbc", "iceberg.catalog-uri", "http://rest:8181")));
  }

  @Test
  void filesAreAtLeastOneMegabyte() {
    assertEquals(
        "Invalid pipeline.iceberg.target-file-size: '512 kB' (must be at least 1 MB, e.g. '128"
            + " MB')",
        error(Map.of("iceberg.target-file-size", "512 kB")));
  }
}
