package io.webtraffic.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.webtraffic.local.SharedStack;
import io.webtraffic.testing.CliRun;
import io.webtraffic.testing.TestPipeline;
import io.webtraffic.testing.TestPipeline.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job as the roles of {@code sql/postgres-roles.sql}, which the embedded stack creates: the job
 * role refuses to start before the migration, the migration role creates and grants, the pipeline
 * runs end to end as the job role, and that role can neither change the schema nor read others.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeastPrivilegeTest {
  static final String JOB_ROLE = "webtraffic_job";
  static final String OWNER_ROLE = "webtraffic_owner";
  static final String INSUFFICIENT_PRIVILEGE = "42501";

  @TempDir static Path workDir;
  TestPipeline pipeline;

  TestPipeline pipeline() {
    if (pipeline == null) {
      pipeline =
          new TestPipeline(
              "least_privilege",
              SharedStack.endpoints(),
              workDir,
              Map.of("postgres.user", JOB_ROLE, "postgres.migrate-user", OWNER_ROLE));
      SharedStack.kafka().createTopic(pipeline.topic(), 1);
    }
    return pipeline;
  }

  @Test
  @Order(1)
  void step1_theJobRoleDoesNotStartBeforeTheMigration() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> pipeline().start());
    assertEquals(
        "Cannot start: PostgreSQL table least_privilege.hits_by_host is missing or role"
            + " webtraffic_job cannot SELECT, INSERT, UPDATE, DELETE it; run `scripts/pipeline"
            + " migrate` with the same configuration first (it connects as postgres.migrate-user"
            + " webtraffic_owner)",
        e.getMessage());
  }

  @Test
  @Order(2)
  void step2_migrateCreatesTheTablesAsTheOwnerAndTheJobRunsAsTheJobRole() throws Exception {
    List<String> args = new ArrayList<>(List.of("migrate"));
    pipeline().flags().forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
    CliRun migrate = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, migrate.code(), migrate.err());
    String event =
        "{\"url\":\"/p\",\"host\":\"shop.example\",\"ip\":\"203.0.113.7\","
            + "\"event_time\":\"2020-05-01T10:00:00Z\"}";
    pipeline()
        .send(
            List.of(
                new Message(
                    null, event.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis())));

    pipeline().runToCompletion();

    assertEquals(
        List.of(OWNER_ROLE),
        query("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'least_privilege'"));
    assertEquals(
        List.of("1"),
        query("SELECT sum(records_read) FROM least_privilege.pipeline_batches"),
        "the job role committed the batch's accounting");
    assertEquals(List.of("1"), query("SELECT sum(hits) FROM least_privilege.hits_by_host"));
  }

  @Test
  @Order(3)
  void step3_theJobRoleCannotChangeTheSchemaOrReadOtherSchemas() throws Exception {
    try (Connection admin = pipeline().postgres();
        Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS someone_else");
      st.execute("CREATE TABLE IF NOT EXISTS someone_else.secrets (v text)");
    }
    for (String sql :
        List.of(
            "CREATE TABLE least_privilege.extra (v text)",
            "DROP TABLE least_privilege.pipeline_ledger",
            "ALTER TABLE least_privilege.sessions RENAME TO y",
            "TRUNCATE least_privilege.pipeline_batches",
            "CREATE SCHEMA mine",
            "CREATE TABLE public.extra (v text)",
            "SELECT * FROM someone_else.secrets",
            "INSERT INTO someone_else.secrets VALUES ('x')")) {
      SQLException e = assertThrows(SQLException.class, () -> asJob(sql), sql);
      assertEquals(INSUFFICIENT_PRIVILEGE, e.getSQLState(), sql + ": " + e.getMessage());
    }
  }

  @Test
  @Order(4)
  void step4_aTableALaterMigrationAddsIsWritableByTheJobRole() throws Exception {
    try (Connection owner =
            DriverManager.getConnection(SharedStack.endpoints().jdbcUrl(), OWNER_ROLE, "");
        Statement st = owner.createStatement()) {
      st.execute("CREATE TABLE least_privilege.added_later (v text)");
    }

    asJob("INSERT INTO least_privilege.added_later VALUES ('written by the job')");

    assertEquals(List.of("written by the job"), query("SELECT v FROM least_privilege.added_later"));
  }

  void asJob(String sql) throws SQLException {
    try (Connection job =
            DriverManager.getConnection(SharedStack.endpoints().jdbcUrl(), JOB_ROLE, "");
        Statement st = job.createStatement()) {
      st.execute(sql);
    }
  }

  List<String> query(String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection c = pipeline().postgres();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }
}
