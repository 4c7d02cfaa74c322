package io.webtraffic.config;

import io.webtraffic.config.PipelineConfig.PostgresSettings;
import io.webtraffic.config.PipelineConfig.Secret;
import java.util.Optional;

/**
 * Reads {@code pipeline.postgres}: the server, the job's role and the role that creates the tables
 * (the job's own unless set apart, then with a password of its own), and the commit retries.
 */
final class PostgresSettingsReader {
  private PostgresSettingsReader() {}

  static PostgresSettings read(CheckedConfig c, EnvironmentSecrets secrets) {
    String url = c.nonEmpty("postgres.url");
    if (!url.startsWith("jdbc:postgresql://")) {
      throw CheckedConfig.invalid(
          "postgres.url",
          url,
          "allowed: a PostgreSQL JDBC URL such as jdbc:postgresql://host:5432/db");
    }
    String user = c.nonEmpty("postgres.user");
    String migrateUser = c.string("postgres.migrate-user").trim();
    Optional<Secret> password = secrets.get(ConfigLoader.ENV_POSTGRES_PASSWORD);
    boolean oneRole = migrateUser.isEmpty() || migrateUser.equals(user);
    return new PostgresSettings(
        url,
        user,
        password,
        migrateUser.isEmpty() ? user : migrateUser,
        oneRole ? password : secrets.get(ConfigLoader.ENV_POSTGRES_MIGRATE_PASSWORD),
        schema(c),
        c.bool("postgres.upsert-events"),
        (int) c.atLeast("postgres.commit-retries", 0),
        c.positive("postgres.retry-backoff"));
  }

  private static String schema(CheckedConfig c) {
    String schema = c.identifier("postgres.schema");
    if (schema.startsWith("pg_")) {
      throw CheckedConfig.invalid(
          "postgres.schema", schema, "the prefix pg_ is reserved for PostgreSQL's own schemas");
    }
    return schema;
  }
}
