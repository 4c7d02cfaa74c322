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

  @Test
  void withTheObjectStoreAndRestCatalogTheJobSettingsPointAtThem() throws Exception {
    StackEndpoints endpoints =
        new StackEndpoints(
            "127.0.0.1:19092",
            "jdbc:postgresql://127.0.0.1:15432/postgres",
            "postgres",
            Path.of("/srv/.stack/warehouse"),
            new StackServices.Endpoints(
                "http://127.0.0.1:19000", "webtraffic", "http://127.0.0.1:18181/"));
    Path file = dir.resolve("stack.env");

    endpoints.writeEnvFile(file);

    assertEquals(
        List.of(
            "export PIPELINE_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092",
            "export PIPELINE_POSTGRES_URL=jdbc:postgresql://127.0.0.1:15432/postgres",
            "export PIPELINE_POSTGRES_USER=postgres",
            "export PIPELINE_ICEBERG_WAREHOUSE=s3a://webtraffic/warehouse",
            "export PIPELINE_STACK_WAREHOUSE_DIR=/srv/.stack/warehouse",
            "export PIPELINE_CHECKPOINT_LOCATION=s3a://webtraffic/checkpoints/webtraffic",
            "export PIPELINE_S3_ENDPOINT=http://127.0.0.1:19000",
            "export PIPELINE_S3_PATH_STYLE_ACCESS=true",
            "export PIPELINE_STACK_S3_BUCKET=webtraffic",
            "export PIPELINE_ICEBERG_CATALOG_TYPE=rest",
            "export PIPELINE_ICEBERG_CATALOG_URI=http://127.0.0.1:18181/",
            "export PIPELINE_ICEBERG_IO_IMPL=org.apache.iceberg.hadoop.HadoopFileIO"),
        Files.readAllLines(file));
    assertEquals(endpoints, StackEndpoints.readEnvFile(file));
  }
}
