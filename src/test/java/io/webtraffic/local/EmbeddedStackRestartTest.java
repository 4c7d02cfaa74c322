package io.webtraffic.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A stack restarted on its data directory keeps its topics, records and tables. */
@Timeout(60)
class EmbeddedStackRestartTest {
  private static final String TOPIC = "restart-check";

  @TempDir Path dataDir;

  @Test
  void keepsKafkaRecordsAndPostgresRowsAcrossARestart() throws Exception {
    // 1. first run: write one record and one row
    String clusterMeta;
    try (EmbeddedStack stack = EmbeddedStack.start(dataDir, 0, 0)) {
      stack.kafka().createTopic(TOPIC, 1);
      try (KafkaProducer<String, String> producer = producer(stack.endpoints())) {
        producer.send(new ProducerRecord<>(TOPIC, "k", "before restart")).get();
      }
      try (Connection connection = stack.postgres().connect();
          Statement statement = connection.createStatement()) {
        statement.execute("create table kept (id int primary key)");
        statement.executeUpdate("insert into kept values (42)");
      }
      clusterMeta = Files.readString(dataDir.resolve("kafka/log/meta.properties"));
    }

    // 2. second run on the same folder, on other ports
    try (EmbeddedStack stack = EmbeddedStack.start(dataDir, 0, 0)) {
      stack.kafka().createTopic(TOPIC, 1); // exists: no error
      assertEquals(
          clusterMeta,
          Files.readString(dataDir.resolve("kafka/log/meta.properties")),
          "not reformatted");
      assertEquals(List.of("before restart"), readAll(stack.endpoints()));
      try (Connection connection = stack.postgres().connect();
          Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("select id from kept")) {
        rows.next();
        assertEquals(42, rows.getInt(1));
      }
    }
  }

  private static KafkaProducer<String, String> producer(StackEndpoints endpoints) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
  }

  private static List<String> readAll(StackEndpoints endpoints) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class.getName()))) {
      TopicPartition partition = new TopicPartition(TOPIC, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
      }
    }
    return values;
  }
}
