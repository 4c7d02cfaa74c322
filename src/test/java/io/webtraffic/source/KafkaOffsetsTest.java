package io.webtraffic.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class KafkaOffsetsTest {
  @Test
  void sparksOffsetJsonReadsInTopicAndPartitionOrderAndWritesBackTheSame() {
    KafkaOffsets o = KafkaOffsets.parse("{\"b\":{\"10\":7,\"2\":5},\"a\":{\"0\":42}}");

    assertEquals(
        List.of(
            new TopicPartition("a", 0), new TopicPartition("b", 2), new TopicPartition("b", 10)),
        List.copyOf(o.offsets().keySet()));
    assertEquals("{\"a\":{\"0\":42},\"b\":{\"2\":5,\"10\":7}}", o.toJson());
    assertEquals(54, o.total());
    assertEquals(o, KafkaOffsets.parse(o.toJson()));
  }
}
