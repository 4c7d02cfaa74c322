package io.webtraffic.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets per Kafka partition, in the JSON form Spark uses in its checkpoint, in query progress and
 * for {@code startingOffsets}: {@code {"web-events":{"0":42,"1":40}}}. An offset is the next record
 * to read, as in Kafka: every record below it has been processed.
 */
public record KafkaOffsets(Map<TopicPartition, Long> offsets) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Comparator<TopicPartition> ORDER =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  /** Keeps the partitions in topic, partition order, so output and JSON read predictably. */
  public KafkaOffsets {
    Map<TopicPartition, Long> sorted = new LinkedHashMap<>();
    offsets.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(ORDER))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    offsets = Collections.unmodifiableMap(sorted);
  }

  public static KafkaOffsets parse(String json) {
    Map<String, Map<String, Long>> nested;
    try {
      nested = JSON.readValue(json, new TypeReference<>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot read Kafka offsets from '" + json + "'", e);
    }
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    nested.forEach(
        (topic, partitions) ->
            partitions.forEach(
                (partition, offset) ->
                    offsets.put(new TopicPartition(topic, Integer.parseInt(partition)), offset)));
    return new KafkaOffsets(offsets);
  }

  /** {@code {"topic":{"0":42}}}: what Jackson writes for the position file and status. */
  public Map<String, Map<String, Long>> nested() {
    Map<String, Map<String, Long>> nested = new LinkedHashMap<>();
    offsets.forEach(
        (tp, offset) ->
            nested
                .computeIfAbsent(tp.topic(), t -> new LinkedHashMap<>())
                .put(String.valueOf(tp.partition()), offset));
    return nested;
  }

  /** The JSON form, usable as {@code kafka.starting-position}. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(nested());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public long total() {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public String toString() {
    return toJson();
  }
}
