package io.webtraffic.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresSettingsReaderTest {
  static String error(Map<String, String> flags) {
    CheckedConfig c = CheckedSections.withFlags(flags);
    return assertThrows(
            InvalidConfigException.class,
            () -> PostgresSettingsReader.read(c, new EnvironmentSecrets(Map.of())))
        .getMessage();
  }

  @Test
  void theUrlIsAPostgresJdbcUrl() {
    assertEquals(
        "Invalid pipeline.postgres.url: 'jdbc:mysql://db/lake' (allowed: a PostgreSQL JDBC URL"
            + " such as jdbc:postgresql://host:5432/db)",
        error(Map.of("postgres.url", "jdbc:mysql://db/lake")));
  }

  @Test
  void theSchemaIsNotOneOfPostgresOwn() {
    assertEquals(
        "Invalid pipeline.postgres.schema: 'pg_web' (the prefix pg_ is reserved for PostgreSQL's"
            + " own schemas)",
        error(Map.of("postgres.schema", "pg_web")));
  }
}
