package io.webtraffic.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.config.ConfigLoader;
import io.webtraffic.local.EmbeddedKafka;
import io.webtraffic.local.SharedStack;
import io.webtraffic.local.StackEndpoints;
import io.webtraffic.testing.JobProcess;
import io.webtraffic.testing.TestEvents;
import io.webtraffic.testing.TestPipeline;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job against a broker that demands SASL, as a managed Kafka does: each mechanism with the
 * right secret reads every record; a wrong secret stops the job at start with one clear line. The
 * secret comes from the environment only and never shows in the job's output.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaSaslTest {
  static final String USER = "pipeline";
  static final String SECRET = "s3cret-Kafka-Value-42";
  static final int RECORDS = 30;

  @TempDir static Path workDir;
  EmbeddedKafka kafka;

  @BeforeAll
  void startABrokerWithASaslListener() {
    kafka = EmbeddedKafka.start(workDir.resolve("kafka"), 0, Map.of(USER, SECRET));
  }

  @AfterAll
  void stopIt() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** The job's view of the stack: Kafka through the SASL listener. */
  TestPipeline pipeline(String name, String mechanism) {
    StackEndpoints sasl =
        SharedStack.endpoints().withBootstrapServers(kafka.saslBootstrapServers());
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("kafka.security-protocol", "SASL_PLAINTEXT");
    settings.put("kafka.sasl-mechanism", mechanism);
    return new TestPipeline(name, sasl, workDir, settings);
  }

  /** Writes the records through the broker's plaintext listener, as a trusted producer would. */
  void sendTo(String topic) {
    kafka.createTopic(topic, 2);
    StackEndpoints plain = SharedStack.endpoints().withBootstrapServers(kafka.bootstrapServers());
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
    List<TestPipeline.Message> events = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      events.add(
          TestEvents.event(
              "10.1.0." + i, "www.example-academy.io", t0.plusSeconds(i), "/", "Chrome"));
    }
    new TestPipeline("producer", plain, workDir, Map.of("kafka.topic", topic)).send(events);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"})
  void theRightSecretReadsEveryRecordAndNeverShows(String mechanism) throws Exception {
    TestPipeline pipeline =
        pipeline("sasl_" + mechanism.replace('-', '_').toLowerCase(), mechanism);
    sendTo(pipeline.topic());

    try (JobProcess job =
        JobProcess.start(
            pipeline.flags(),
            Map.of(ConfigLoader.ENV_SASL_USERNAME, USER, ConfigLoader.ENV_SASL_PASSWORD, SECRET),
            workDir.resolve(mechanism + ".log"))) {
      assertEquals(0, job.awaitExit(Duration.ofMinutes(4)), job.tail());
      assertFalse(job.output().contains(SECRET), "the secret is not in the output");
    }
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT sum(records_read), sum(events) FROM "
                    + pipeline.pgTable("pipeline_batches"))) {
      rs.next();
      assertEquals(RECORDS, rs.getLong(1), "records read");
      assertEquals(RECORDS, rs.getLong(2), "events");
    }
  }

  @Test
  void aWrongSecretStopsTheJobAtStartWithOneClearLine() throws Exception {
    TestPipeline pipeline = pipeline("sasl_wrong_secret", "SCRAM-SHA-256");
    sendTo(pipeline.topic());
    String wrong = "not-the-" + SECRET;

    try (JobProcess job =
        JobProcess.start(
            pipeline.flags(),
            Map.of(ConfigLoader.ENV_SASL_USERNAME, USER, ConfigLoader.ENV_SASL_PASSWORD, wrong),
            workDir.resolve("wrong.log"))) {
      assertEquals(1, job.awaitExit(Duration.ofMinutes(2)), job.tail());
      String output = job.output();
      assertTrue(
          output.contains(
              "Failed: Cannot authenticate to Kafka at " + kafka.saslBootstrapServers()),
          output);
      assertTrue(output.contains("PIPELINE_KAFKA_SASL_PASSWORD"), output);
      assertFalse(output.contains(wrong), "the secret is not in the output");
      assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
    }
  }
}
