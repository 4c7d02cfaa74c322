package io.webtraffic.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackEndpointsTest {
  @TempDir Path dir;

  @Test
  void writesShellSourceableExports() throws Exception {
    StackEndpoints endpoints =
        new StackEndpoints(
            "127.0.0.1:19092",
            "jdbc:postgresql://127.0.0.1:15432/postgres",
            "postgres",
            Path.of("/srv/.stack/warehouse"));
    Path file = dir.resolve("stack.env");

    endpoints.writeEnvFile(file);

    assertEquals(
        List.of(
            "export PIPELINE_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092",
            "export PIPELINE_POSTGRES_URL=jdbc:postgresql://127.0.0.1:15432/postgres",
            "export PIPELINE_POSTGRES_USER=postgres",
            "export PIPELINE_ICEBERG_WAREHOUSE=/srv/.stack/warehouse"),
        Files.readAllLines(file));
  }

  @Test
  void readsBackWhatItWrote() {
    StackEndpoints endpoints =
        new StackEndpoints(
            "127.0.0.1:1234",
            "jdbc:postgresql://127.0.0.1:5678/postgres",
            "postgres",
            dir.resolve("ware house's"));
    Path file = dir.resolve("nested/stack.env");

    endpoints.writeEnvFile(file);

    assertEquals(endpoints, StackEndpoints.readEnvFile(file));
  }

  @Test
  void quotesPathsForTheShell() throws Exception {
    Path warehouse = Path.of("/tmp/ware house's");
    new StackEndpoints("h:1", "jdbc:postgresql://h:2/postgres", "postgres", warehouse)
        .writeEnvFile(dir.resolve("e"));

    assertEquals(
        "export PIPELINE_ICEBERG_WAREHOUSE='/tmp/ware house'\\''s'",
        Files.readAllLines(dir.resolve("e")).get(3));
  }

  @Test
  void rejectsAFileWithoutTheJdbcUrl() throws Exception {
    Path file = dir.resolve("stack.env");
    Files.writeString(file, "export PIPELINE_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092\n");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StackEndpoints.readEnvFile(file));

    assertEquals(
        "Invalid stack env file " + file + ": missing PIPELINE_POSTGRES_URL", e.getMessage());
  }
}
