package io.webtraffic.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webtraffic.local.StackEndpoints;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.Row;

/**
 * Valid, distinct events sent to chosen partitions at chosen Kafka timestamps, and the records a
 * run put in the events table, both as {@code "partition:offset"}: so a test pins exactly which
 * records the job read. Each event's time is its Kafka timestamp.
 */
public final class PartitionedEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PartitionedEvents() {}

  /** Sends one event per time to {@code partition}; returns their "partition:offset". */
  public static List<String> send(
      StackEndpoints stack, String topic, int partition, Instant... times) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    List<String> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Instant time : times) {
        byte[] value = event("/p" + partition + "/" + time.toEpochMilli(), time);
        var meta =
            producer
                .send(new ProducerRecord<>(topic, partition, time.toEpochMilli(), null, value))
                .get();
        sent.add(meta.partition() + ":" + meta.offset());
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("Cannot send to " + topic, e);
    }
    return sent;
  }

  /** The "partition:offset" of every row of the pipeline's Iceberg events table, sorted. */
  public static List<String> inEventsTable(TestPipeline pipeline) {
    return TestSpark.session()
        .sql(
            "SELECT kafka_partition, kafka_offset FROM "
                + pipeline.table("events")
                + " ORDER BY kafka_partition, kafka_offset")
        .collectAsList()
        .stream()
        .map((Row r) -> r.getInt(0) + ":" + r.getLong(1))
        .toList();
  }

  private static byte[] event(String url, Instant time) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("url", url);
    e.put("host", "a.example-academy.io");
    e.put("ip", "10.0.0.1");
    e.put("event_time", time.toString());
    e.put(
        "user_agent",
        Map.of("family", "Chrome", "major", "131", "device", Map.of("family", "Other")));
    try {
      return JSON.writeValueAsString(e).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
