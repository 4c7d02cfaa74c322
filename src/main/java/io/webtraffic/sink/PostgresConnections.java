package io.webtraffic.sink;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.config.PipelineConfig.PostgresSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens connections to the job's PostgreSQL database, as the job's role or as the migration role,
 * each named after the job ({@code ApplicationName}) so an operator can tell them apart in {@code
 * pg_stat_activity}.
 */
final class PostgresConnections {
  private final PostgresSettings settings;
  private final String jobName;

  PostgresConnections(PostgresSettings settings, String jobName) {
    this.settings = settings;
    this.jobName = jobName;
  }

  String jobName() {
    return jobName;
  }

  String schema() {
    return settings.schema();
  }

  /** As the job's role: it may only read and write the rows of its tables. */
  Connection connect() throws SQLException {
    return connect(settings.user(), settings.password());
  }

  /** As the migration role ({@code postgres.migrate-user}), which may create and alter tables. */
  Connection connectAsMigrator() throws SQLException {
    return connect(settings.migrateUser(), settings.migratePassword());
  }

  private Connection connect(String user, java.util.Optional<PipelineConfig.Secret> password)
      throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    password.ifPresent(pw -> p.setProperty("password", pw.value()));
    p.setProperty("ApplicationName", jobName);
    return DriverManager.getConnection(settings.url(), p);
  }
}
