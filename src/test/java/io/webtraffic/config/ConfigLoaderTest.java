package io.webtraffic.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.config.PipelineConfig.WindowSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path home;

  PipelineConfig load(Map<String, String> env, Map<String, String> flags, String file)
      throws IOException {
    Optional<Path> path = Optional.empty();
    if (file != null) {
      path = Optional.of(Files.writeString(home.resolve("job.conf"), file));
    }
    return ConfigLoader.load(path, env, flags, home);
  }

  String error(Map<String, String> env, Map<String, String> flags, String file) {
    return assertThrows(InvalidConfigException.class, () -> load(env, flags, file)).getMessage();
  }

  @Test
  void defaultsAreComplete() throws IOException {
    PipelineConfig c = load(Map.of(), Map.of(), null);
    assertEquals("web-events", c.kafka().topic());
    assertEquals(Duration.ofSeconds(10), c.trigger().interval());
    assertEquals(Duration.ofMinutes(10), c.watermarkDelay());
    assertEquals(home.resolve(".stack/checkpoints/webtraffic").toString(), c.checkpointLocation());
    assertEquals("rocksdb", c.spark().stateStore());
  }

  @Test
  void flagsBeatEnvironmentBeatsFileBeatsDefaults() throws IOException {
    String file =
        "pipeline.kafka.topic = from-file\npipeline.trigger = \"1 minute\"\n"
            + "pipeline.iceberg.namespace = filens\n";
    Map<String, String> env =
        Map.of("PIPELINE_KAFKA_TOPIC", "from-env", "PIPELINE_TRIGGER", "30 seconds");
    PipelineConfig c = load(env, Map.of("trigger", "availableNow"), file);
    assertTrue(c.trigger().availableNow(), "flag wins");
    assertEquals("from-env", c.kafka().topic(), "environment beats the file");
    assertEquals("filens", c.iceberg().namespace(), "file beats the defaults");
    assertEquals("jdbc:postgresql://127.0.0.1:15432/postgres", c.postgres().url(), "default");
  }

  @Test
  void listsFromTheEnvironmentAreCommaSeparated() throws IOException {
    PipelineConfig c = load(Map.of("PIPELINE_FILTER_ALLOWED_HOSTS", "a.io, b.io"), Map.of(), null);
    assertEquals(java.util.List.of("a.io", "b.io"), c.filter().allowedHosts());
  }

  @Test
  void aBadTriggerNamesTheKeyAndWhatIsAllowed() {
    assertEquals(
        "Invalid pipeline.trigger: '10 parsecs' (allowed: availableNow, or a processing-time"
            + " interval such as '500 ms', '5 seconds', '1 minute'; set with --trigger, PIPELINE_TRIGGER or"
            + " trigger in the config file)",
        error(Map.of(), Map.of("trigger", "10 parsecs"), null));
  }

  @Test
  void badValuesAreRefusedWithTheKeyName() {
    assertEquals(
        "Invalid pipeline.iceberg.catalog-type: 'glue' (allowed: hadoop, jdbc, rest)",
        error(Map.of(), Map.of("iceberg.catalog-type", "glue"), null));
    assertEquals(
        "Invalid pipeline.kafka.starting-position: 'yesterday' (allowed: earliest, latest,"
            + " timestamp:<ISO-8601 instant such as 2026-11-20T09:00:00Z>, or a JSON offsets object such as"
            + " {\"web-events\":{\"0\":42}})",
        error(Map.of(), Map.of("kafka.starting-position", "yesterday"), null));
    assertEquals(
        "Invalid pipeline.event-time.watermark-delay: '0s' (must be a positive duration such as"
            + " '10 minutes')",
        error(Map.of(), Map.of("event-time.watermark-delay", "0s"), null));
    assertTrue(
        error(Map.of(), Map.of("filter.bot-user-agent-pattern", "(unclosed"), null)
            .startsWith(
                "Invalid pipeline.filter.bot-user-agent-pattern: '(unclosed' (not a valid Java regular"));
    assertEquals(
        "Invalid pipeline.iceberg.catalog-uri: '' (required when pipeline.iceberg.catalog-type is"
            + " rest: the REST catalog's URL)",
        error(Map.of(), Map.of("iceberg.catalog-type", "rest"), null));
    assertEquals(
        "Invalid pipeline.iceberg.promoted-fields: 'campaign:text' (allowed: name:type with a"
            + " lower-case name and type one of string, bigint, int, double, boolean, timestamp,"
            + " e.g. campaign:string)",
        error(Map.of(), Map.of("iceberg.promoted-fields", "campaign:text"), null));
    assertEquals(
        "Invalid pipeline.iceberg.promoted-fields: 'host:string' (the column host already exists"
            + " in the events table)",
        error(Map.of(), Map.of("iceberg.promoted-fields", "host:string"), null));
    assertEquals(
        "Invalid pipeline.maintenance.orphan-age: '10 minutes' (must be at least 1 hour: a younger"
            + " unreferenced file may belong to a commit in progress)",
        error(Map.of(), Map.of("maintenance.orphan-age", "10 minutes"), null));
  }

  @Test
  void aJdbcCatalogDefaultsToThePostgresDatabaseAndPromotedFieldsParse() throws IOException {
    PipelineConfig c =
        load(
            Map.of("PIPELINE_ICEBERG_PROMOTED_FIELDS", "campaign:string, score : double"),
            Map.of(
                "iceberg.catalog-type", "jdbc", "postgres.url", "jdbc:postgresql://db:5432/lake"),
            null);
    assertEquals("jdbc:postgresql://db:5432/lake", c.iceberg().catalogUri());
    assertEquals(
        List.of(
            new PipelineConfig.PromotedField("campaign", "string"),
            new PipelineConfig.PromotedField("score", "double")),
        c.iceberg().promotedFields());
  }

  @Test
  void windowDefaultsLoad() throws IOException {
    assertEquals(
        new WindowSettings(
            Duration.ofMinutes(5),
            Duration.ofMinutes(10),
            Duration.ofMinutes(1),
            Duration.ofMinutes(5),
            100,
            List.of("host"),
            Duration.ofMinutes(5)),
        load(Map.of(), Map.of(), null).windows());
  }

  @Test
  void windowSettingsAtTheLimitsAreAccepted() throws IOException {
    WindowSettings w =
        load(
                Map.of("PIPELINE_WINDOWS_COUNT_KEY", "ip, url"),
                Map.of(
                    "windows.sliding-size", "2 minutes",
                    "windows.sliding-slide", "2 minutes",
                    "windows.count-size", "1"),
                null)
            .windows();
    assertEquals(Duration.ofMinutes(2), w.slidingSlide(), "a slide equal to the size");
    assertEquals(1, w.countSize());
    assertEquals(List.of("ip", "url"), w.countKey());
  }

  @Test
  void badWindowSettingsNameTheKeyAndWhatIsAllowed() {
    assertEquals(
        "Invalid pipeline.windows.sliding-slide: '2 minutes' (must not exceed"
            + " pipeline.windows.sliding-size (1 minute); a slide equal to the size is a tumbling"
            + " window)",
        error(
            Map.of(),
            Map.of("windows.sliding-slide", "2 minutes", "windows.sliding-size", "1 minute"),
            null));
    assertEquals(
        "Invalid pipeline.windows.session-gap: '0 seconds' (must be a positive duration such as"
            + " '10 minutes')",
        error(Map.of(), Map.of("windows.session-gap", "0 seconds"), null));
    assertEquals(
        "Invalid pipeline.windows.session-gap: '-1 minutes' (must be a positive duration such as"
            + " '10 minutes')",
        error(Map.of(), Map.of("windows.session-gap", "-1 minutes"), null));
    assertEquals(
        "Invalid pipeline.windows.count-size: '0' (must be >= 1)",
        error(Map.of(), Map.of("windows.count-size", "0"), null));
  }

  @Test
  void aCountKeyMustBeDistinctKnownFields() {
    String allowed = " (allowed: one or more distinct fields of [host, ip, url, referrer])";
    assertEquals(
        "Invalid pipeline.windows.count-key: '[]'" + allowed,
        error(Map.of(), Map.of("windows.count-key", ""), null));
    assertEquals(
        "Invalid pipeline.windows.count-key: '[]'" + allowed,
        error(Map.of(), Map.of(), "pipeline.windows.count-key = []"));
    assertEquals(
        "Invalid pipeline.windows.count-key: '[country]'" + allowed,
        error(Map.of(), Map.of("windows.count-key", "country"), null));
    assertEquals(
        "Invalid pipeline.windows.count-key: '[host, host]'" + allowed,
        error(Map.of(), Map.of("windows.count-key", "host, host"), null));
  }

  @Test
  void placeholdersLeftFromAnExampleStopTheJobNamingTheKeys() throws IOException {
    String file =
        "pipeline.kafka.bootstrap-servers = \"<your-kafka:9092>\"\n"
            + "pipeline.checkpoint-location = \"s3a://<bucket>/checkpoints\"\n";
    String message = error(Map.of(), Map.of(), file);
    assertEquals(
        "Cannot start with example placeholders still in the configuration:"
            + " pipeline.checkpoint-location = 's3a://<bucket>/checkpoints' ("
            + home.resolve("job.conf")
            + ": 2), pipeline.kafka.bootstrap-servers = '<your-kafka:9092>' ("
            + home.resolve("job.conf")
            + ": 1); replace each <...> with the real value (in the config file, with the"
            + " PIPELINE_ environment variable or --set key=value)",
        message);
  }

  @Test
  void aPlaceholderReplacedByAFlagOrTheEnvironmentIsAccepted() throws IOException {
    String file = "pipeline.kafka.bootstrap-servers = \"<your-kafka:9092>\"\n";
    assertEquals(
        "k1:9092",
        load(Map.of("PIPELINE_KAFKA_BOOTSTRAP_SERVERS", "k1:9092"), Map.of(), file)
            .kafka()
            .bootstrapServers());
    assertEquals(
        "k2:9092",
        load(Map.of(), Map.of("kafka.bootstrap-servers", "k2:9092"), file)
            .kafka()
            .bootstrapServers());
    assertTrue(
        error(Map.of(), Map.of("postgres.user", "<user>"), null)
            .contains("pipeline.postgres.user = '<user>';"));
  }

  @Test
  void namedGroupsInFilterPatternsAreNotPlaceholders() throws IOException {
    PipelineConfig c =
        load(Map.of(), Map.of("filter.bot-user-agent-pattern", "(?<bot>crawler|spider)"), null);
    assertEquals("(?<bot>crawler|spider)", c.filter().botUserAgentPattern());
  }

  @Test
  void theShippedExampleConfigurationsAllNameTheirPlaceholders() {
    Path conf = Path.of(System.getProperty("user.dir"), "conf");
    for (String example : List.of("cluster.conf", "standalone.conf", "yarn.conf", "k8s.conf")) {
      Optional<Path> file = Optional.of(conf.resolve(example));
      String message =
          assertThrows(
                  InvalidConfigException.class,
                  () -> ConfigLoader.load(file, Map.of(), Map.of(), home),
                  example)
              .getMessage();
      assertTrue(
          message.contains("pipeline.kafka.bootstrap-servers = '<"), example + ": " + message);
    }
  }

  @Test
  void unknownKeysAreRejected() {
    assertEquals(
        "Unknown setting 'kafka.topics' (from flag --set kafka.topics); known settings are"
            + " listed in pipeline-defaults.conf",
        error(Map.of(), Map.of("kafka.topics", "x"), null));
    assertTrue(
        error(Map.of(), Map.of(), "pipeline.trigerr = \"5 seconds\"")
            .startsWith("Unknown setting 'trigerr' (from config file "));
  }

  @Test
  void secretsComeFromTheEnvironmentOnly() throws IOException {
    assertEquals(
        "Cannot take postgres.password from config file "
            + home.resolve("job.conf")
            + " key postgres.password: secrets come from the environment only (PIPELINE_POSTGRES_PASSWORD)",
        error(Map.of(), Map.of(), "pipeline.postgres.password = hunter2"));
    PipelineConfig c = load(Map.of("PIPELINE_POSTGRES_PASSWORD", "s3cret"), Map.of(), null);
    assertEquals("s3cret", c.postgres().password().orElseThrow().value());
    assertFalse(c.toString().contains("s3cret"), "secrets never print");
  }

  @Test
  void saslNeedsCredentialsFromTheEnvironment() {
    assertEquals(
        "Cannot use pipeline.kafka.security-protocol=SASL_SSL without credentials: set"
            + " PIPELINE_KAFKA_SASL_USERNAME and PIPELINE_KAFKA_SASL_PASSWORD",
        error(Map.of(), Map.of("kafka.security-protocol", "SASL_SSL"), null));
  }

  @Test
  void sparkExtraSettingsPassThrough() throws IOException {
    PipelineConfig c =
        load(
            Map.of(),
            Map.of(),
            "pipeline.spark.extra { \"spark.sql.adaptive.enabled\" = \"false\" }");
    assertEquals(Map.of("spark.sql.adaptive.enabled", "false"), c.spark().extra());
  }

  @Test
  void qualityDefaultsLoadAndActionsAreSetPerCheck() throws IOException {
    PipelineConfig c =
        load(
            Map.of("PIPELINE_QUALITY_DEAD_LETTER_SHARE_ACTION", "stop"),
            Map.of("quality.volume.min-ratio", "0.5", "quality.event-time-skew.max", "2 minutes"),
            null);
    PipelineConfig.QualitySettings q = c.quality();
    assertEquals(List.of("url", "host", "ip", "event_time"), q.requiredFields());
    assertEquals(
        new PipelineConfig.Limit(0.05, PipelineConfig.QualityAction.STOP), q.deadLetterShare());
    assertEquals(
        new PipelineConfig.Limit(120.0, PipelineConfig.QualityAction.RECORD), q.eventTimeSkew());
    assertEquals(
        new PipelineConfig.VolumeLimit(10, 3, 0.5, 10.0, PipelineConfig.QualityAction.RECORD),
        q.volume());
  }

  @Test
  void badQualitySettingsNameTheKeyAndWhatIsAllowed() {
    assertEquals(
        "Invalid pipeline.quality.duplicate-share.action: 'panic' (allowed: record, warn, stop)",
        error(Map.of(), Map.of("quality.duplicate-share.action", "panic"), null));
    assertEquals(
        "Invalid pipeline.quality.dead-letter-share.max: '5' (a share between 0 and 1, such as"
            + " 0.05)",
        error(Map.of(), Map.of("quality.dead-letter-share.max", "5"), null));
    assertEquals(
        "Invalid pipeline.quality.required-fields: '[url, colour]' (allowed: distinct fields of"
            + " [url, host, ip, event_time, user_agent, headers, referrer, user_id, academy_id,"
            + " event_id], or [] for no check)",
        error(Map.of(), Map.of("quality.required-fields", "url,colour"), null));
    assertEquals(
        "Invalid pipeline.quality.volume.min-history: '11' (must be between 1 and"
            + " pipeline.quality.volume.history (10))",
        error(Map.of(), Map.of("quality.volume.min-history", "11"), null));
    assertEquals(
        "Invalid pipeline.quality.event-time-skew.max: '0 s' (must be a positive duration such"
            + " as '15 minutes')",
        error(Map.of(), Map.of("quality.event-time-skew.max", "0 s"), null));
  }

  @Test
  void limitsAreValidatedAndNamedInTheError() throws IOException {
    PipelineConfig c = load(Map.of(), Map.of("limits.max-url-length", "2048"), null);
    assertEquals(2048, c.limits().maxUrlLength());
    assertEquals(65536, c.limits().maxRecordBytes());
    assertEquals(
        "Invalid pipeline.limits.max-record-bytes: '0' (must be between 1 and 16777216)",
        error(Map.of(), Map.of("limits.max-record-bytes", "0"), null));
  }

  @Test
  void theMigrationRoleIsTheJobRoleUnlessSetApartWithItsOwnPassword() throws IOException {
    PipelineConfig one = load(Map.of("PIPELINE_POSTGRES_PASSWORD", "job"), Map.of(), null);
    assertTrue(one.postgres().migratesAtStart());
    assertEquals("job", one.postgres().migratePassword().orElseThrow().value());
    PipelineConfig two =
        load(
            Map.of(
                "PIPELINE_POSTGRES_PASSWORD", "job", "PIPELINE_POSTGRES_MIGRATE_PASSWORD", "own"),
            Map.of("postgres.user", "webtraffic_job", "postgres.migrate-user", "webtraffic_owner"),
            null);
    assertFalse(two.postgres().migratesAtStart());
    assertEquals("webtraffic_owner", two.postgres().migrateUser());
    assertEquals("own", two.postgres().migratePassword().orElseThrow().value());
    assertEquals(
        "Cannot take postgres.migrate-password from flag --set postgres.migrate-password: secrets"
            + " come from the environment only (PIPELINE_POSTGRES_MIGRATE_PASSWORD)",
        error(Map.of(), Map.of("postgres.migrate-password", "x"), null));
  }
}
