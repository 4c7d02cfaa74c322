package io.webtraffic.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.config.ConfigLoader;
import io.webtraffic.local.SharedStack;
import io.webtraffic.source.KafkaAdmin;
import io.webtraffic.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate} reads Kafka's settings from the config file like every other command, and a
 * topic that does not exist is one line (or created with the partitions asked for).
 */
@ExtendWith(SharedStack.class)
class GenerateConfigTest {
  @TempDir Path dir;

  Path config(String topic) throws Exception {
    Path file = dir.resolve("generate.conf");
    Files.writeString(
        file,
        "pipeline {\n  kafka.bootstrap-servers = \""
            + SharedStack.endpoints().bootstrapServers()
            + "\"\n  kafka.topic = \""
            + topic
            + "\"\n}\n");
    return file;
  }

  /** An admin client of the shared stack's broker, as the job's configuration builds it. */
  static KafkaAdmin admin() {
    return KafkaAdmin.connect(
        ConfigLoader.load(
                Optional.empty(),
                Map.of(),
                Map.of("kafka.bootstrap-servers", SharedStack.endpoints().bootstrapServers()),
                Path.of("."))
            .kafka());
  }

  /** Records on the topic: the sum of its partitions' end offsets. */
  static long records(String topic) {
    try (KafkaAdmin kafka = admin()) {
      return kafka.latest(kafka.partitions(topic)).total();
    }
  }

  @Test
  void theTopicAndBrokerComeFromTheConfigFile() throws Exception {
    SharedStack.kafka().createTopic("gen_config", 2);

    CliRun r =
        CliRun.of(
            "generate",
            "--config",
            config("gen_config").toString(),
            "--count",
            "20",
            "--no-pacing");

    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out()
            .startsWith(
                "Writing to topic gen_config at "
                    + SharedStack.endpoints().bootstrapServers()
                    + ", without pacing"),
        r.out());
    assertEquals(20, records("gen_config"));
  }

  @Test
  void aMissingTopicIsOneLineNamingIt() throws Exception {
    CliRun r =
        CliRun.of(
            "generate",
            "--config",
            config("gen_config").toString(),
            "--topic",
            "gen_missing",
            "--count",
            "5",
            "--no-pacing");

    assertEquals(1, r.code());
    assertEquals(
        "Failed: Cannot write to topic gen_missing: it does not exist at "
            + SharedStack.endpoints().bootstrapServers()
            + " (create it with --create-topic PARTITIONS, or set kafka.topic / --topic)",
        r.err().strip());
  }

  @Test
  void createTopicMakesAMissingTopicWithThePartitionsAskedFor() throws Exception {
    CliRun r =
        CliRun.of(
            "generate",
            "--config",
            config("gen_created").toString(),
            "--create-topic",
            "3",
            "--count",
            "12",
            "--no-pacing");

    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\nCreated topic gen_created with 3 partitions\n"), r.out());
    try (KafkaAdmin kafka = admin()) {
      assertEquals(3, kafka.partitions("gen_created").size());
    }
    assertEquals(12, records("gen_created"));
  }
}
