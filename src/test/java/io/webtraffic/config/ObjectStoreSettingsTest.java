package io.webtraffic.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.webtraffic.job.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The object-store and REST-catalog settings, and the secrets that must not come with them. */
class ObjectStoreSettingsTest {
  @TempDir Path home;

  PipelineConfig load(Map<String, String> env, Map<String, String> flags) {
    return ConfigLoader.load(Optional.empty(), env, flags, home);
  }

  String error(Map<String, String> env, Map<String, String> flags) {
    return assertThrows(InvalidConfigException.class, () -> load(env, flags)).getMessage();
  }

  @Test
  void anS3EndpointBecomesTheS3aSettingsOfHadoop() {
    PipelineConfig c =
        load(
            Map.of(),
            Map.of(
                "s3.endpoint", "http://127.0.0.1:19000",
                "s3.path-style-access", "true",
                "s3.region", "eu-west-1"));
    assertEquals(
        Map.of(
            "fs.s3a.directory.marker.retention", "keep",
            "fs.s3a.endpoint", "http://127.0.0.1:19000",
            "fs.s3a.connection.ssl.enabled", "false",
            "fs.s3a.path.style.access", "true",
            "fs.s3a.endpoint.region", "eu-west-1"),
        c.s3().hadoopSettings());
    assertEquals(
        Map.of("fs.s3a.directory.marker.retention", "keep"),
        load(Map.of(), Map.of()).s3().hadoopSettings(),
        "AWS S3 itself needs no endpoint");
  }

  @Test
  void anEndpointThatIsNotAnHttpUrlIsRefusedWithTheKey() {
    assertEquals(
        "Invalid pipeline.s3.endpoint: '127.0.0.1:19000' (empty (AWS S3) or an http:// or https://"
            + " URL of the store, e.g. http://127.0.0.1:19000)",
        error(Map.of(), Map.of("s3.endpoint", "127.0.0.1:19000")));
  }

  @Test
  void keysAndTokensUnderSparkExtraAreRefusedFromFlagsAndFiles() throws Exception {
    assertEquals(
        "Cannot take spark.extra.spark.hadoop.fs.s3a.secret.key from flag --set"
            + " spark.extra.spark.hadoop.fs.s3a.secret.key: secrets come from the environment only"
            + " (S3 keys: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY; a REST catalog's:"
            + " PIPELINE_ICEBERG_REST_CREDENTIAL or PIPELINE_ICEBERG_REST_TOKEN; see README"
            + " \"Object stores and REST catalogs\")",
        error(Map.of(), Map.of("spark.extra.spark.hadoop.fs.s3a.secret.key", "abc")));
    Path file =
        Files.writeString(
            home.resolve("job.conf"),
            "pipeline.spark.extra { \"spark.sql.catalog.lake.credential\" = \"id:secret\" }\n");
    String message =
        assertThrows(
                InvalidConfigException.class,
                () -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of(), home))
            .getMessage();
    assertEquals(
        "Cannot take spark.extra.spark.sql.catalog.lake.credential from config file "
            + file
            + " key spark.extra.spark.sql.catalog.lake.credential: secrets come from the"
            + " environment only (S3 keys: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY; a REST"
            + " catalog's: PIPELINE_ICEBERG_REST_CREDENTIAL or PIPELINE_ICEBERG_REST_TOKEN; see"
            + " README \"Object stores and REST catalogs\")",
        message);
    assertFalse(message.contains("id:secret"));
  }

  @Test
  void aRestCatalogTakesItsCredentialFromTheEnvironmentOnly() {
    PipelineConfig c =
        load(
            Map.of("PIPELINE_ICEBERG_REST_CREDENTIAL", "client:s3cr3t"),
            Map.of(
                "iceberg.catalog-type", "rest",
                "iceberg.catalog-uri", "https://catalog.example/api/catalog",
                "iceberg.warehouse", "analytics",
                "iceberg.io-impl", "org.apache.iceberg.hadoop.HadoopFileIO"));
    Map<String, String> settings = SparkSessions.catalogSettings(c);
    assertEquals("client:s3cr3t", settings.get("spark.sql.catalog.lake.credential"));
    assertEquals("analytics", settings.get("spark.sql.catalog.lake.warehouse"), "as written");
    assertEquals(
        "org.apache.iceberg.hadoop.HadoopFileIO", settings.get("spark.sql.catalog.lake.io-impl"));
    assertFalse(c.toString().contains("s3cr3t"), "never printed");
    assertEquals(
        "Cannot take iceberg.rest-credential from flag --set iceberg.rest-credential: secrets come"
            + " from the environment only (PIPELINE_ICEBERG_REST_CREDENTIAL)",
        error(Map.of(), Map.of("iceberg.rest-credential", "client:s3cr3t")));
  }

  @Test
  void anIoImplMustBeAClassName() {
    assertEquals(
        "Invalid pipeline.iceberg.io-impl: 'hadoop io' (empty (the catalog's default) or a FileIO"
            + " class name such as org.apache.iceberg.hadoop.HadoopFileIO)",
        error(Map.of(), Map.of("iceberg.io-impl", "hadoop io")));
  }
}
