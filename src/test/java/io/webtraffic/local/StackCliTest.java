package io.webtraffic.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.cli.PipelineCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code pipeline stack start|status|stop} against a real background JVM. */
@Timeout(120)
class StackCliTest {
  @TempDir Path dataDir;

  @AfterEach
  void stopLeftovers() {
    PipelineCli.execute("stack", "stop", "--data-dir", dataDir.toString());
  }

  int start(String kafkaPort, String postgresPort) {
    return PipelineCli.execute(
        "stack",
        "start",
        "--data-dir",
        dataDir.toString(),
        "--kafka-port",
        kafkaPort,
        "--postgres-port",
        postgresPort);
  }

  @Test
  void startsReportsAndStopsABackgroundStack() throws Exception {
    String kafkaPort = Integer.toString(FreePorts.pick());
    String postgresPort = Integer.toString(FreePorts.pick());
    StackFiles files = new StackFiles(dataDir);

    // 1. start: returns once the background stack is ready
    assertEquals(0, start(kafkaPort, postgresPort));
    StackEndpoints endpoints = StackEndpoints.readEnvFile(files.envFile());
    assertEquals("127.0.0.1:" + kafkaPort, endpoints.bootstrapServers());
    assertEquals("jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres", endpoints.jdbcUrl());

    // 2. the stack serves clients and reports itself running; a second start is a no-op
    try (Connection connection =
            DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.jdbcUser(), "");
        Statement statement = connection.createStatement();
        ResultSet one = statement.executeQuery("select 1")) {
      assertTrue(one.next());
    }
    assertEquals(0, PipelineCli.execute("stack", "status", "--data-dir", dataDir.toString()));
    assertEquals(0, start(kafkaPort, postgresPort));

    // 3. stop: the process ends and its runtime files go
    assertEquals(0, PipelineCli.execute("stack", "stop", "--data-dir", dataDir.toString()));
    assertFalse(Files.exists(files.envFile()), "env file removed");
    assertFalse(Files.exists(files.pidFile()), "pid file removed");
    assertEquals(3, PipelineCli.execute("stack", "status", "--data-dir", dataDir.toString()));
  }

  @Test
  void stopWhenNothingRunsSucceeds() {
    assertEquals(0, PipelineCli.execute("stack", "stop", "--data-dir", dataDir.toString()));
  }

  @Test
  void rejectsAnInvalidPort() {
    assertEquals(
        2,
        PipelineCli.execute(
            "stack", "start", "--data-dir", dataDir.toString(), "--kafka-port", "70000"));
  }

  @Test
  void rejectsAnUnknownService() {
    assertEquals(
        2,
        PipelineCli.execute(
            "stack", "start", "--data-dir", dataDir.toString(), "--with", "s3,ftp"));
  }
}
