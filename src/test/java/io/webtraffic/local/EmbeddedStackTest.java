package io.webtraffic.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedStack.class)
@Timeout(60)
class EmbeddedStackTest {
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void createsTheDefaultTopicWithTwoPartitions() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedStack.endpoints().bootstrapServers()))) {
      int partitions =
          admin
              .describeTopics(List.of(EmbeddedStack.DEFAULT_TOPIC))
              .allTopicNames()
              .get()
              .get(EmbeddedStack.DEFAULT_TOPIC)
              .partitions()
              .size();
      assertEquals(EmbeddedStack.DEFAULT_TOPIC_PARTITIONS, partitions);
    }
  }

  @Test
  void producesAndConsumesARecordOnAFreshTopic() throws Exception {
    String topic = "it-" + UUID.randomUUID();
    SharedStack.kafka().createTopic(topic, 1);
    SharedStack.kafka().createTopic(topic, 1); // idempotent

    // 1. produce one record and wait for its acknowledgement
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
      producer.send(new ProducerRecord<>(topic, "key-1", "{\"url\":\"/\"}")).get();
    }

    // 2. read the partition from the start until the record arrives or the timeout passes
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + POLL_TIMEOUT.toNanos();
      while (received.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(received::add);
      }
    }

    assertEquals(1, received.size(), "records read back");
    assertEquals("key-1", received.get(0).key());
    assertEquals("{\"url\":\"/\"}", received.get(0).value());
  }

  @Test
  void runsSqlOnPostgres() throws SQLException {
    StackEndpoints endpoints = SharedStack.endpoints();
    String table = "it_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection =
            DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.jdbcUser(), "");
        Statement statement = connection.createStatement()) {
      try (ResultSet one = statement.executeQuery("select 1")) {
        assertTrue(one.next());
        assertEquals(1, one.getInt(1));
      }
      statement.execute("create table " + table + " (id int primary key, url text not null)");
      statement.executeUpdate("insert into " + table + " values (1, '/a'), (2, '/b')");
      try (ResultSet rows = statement.executeQuery("select url from " + table + " order by id")) {
        List<String> urls = new ArrayList<>();
        while (rows.next()) {
          urls.add(rows.getString(1));
        }
        assertEquals(List.of("/a", "/b"), urls);
      }
    }
  }

  @Test
  void createsTheWarehouseFolder() {
    assertTrue(Files.isDirectory(SharedStack.endpoints().warehouse()));
  }

  private static Properties producerConfig() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.endpoints().bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return props;
  }

  private static Properties consumerConfig() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.endpoints().bootstrapServers());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return props;
  }
}
