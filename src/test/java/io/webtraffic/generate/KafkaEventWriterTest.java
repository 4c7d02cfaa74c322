package io.webtraffic.generate;

import static io.webtraffic.generate.TestRecords.generate;
import static io.webtraffic.generate.TestRecords.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The writer against a {@link MockProducer}: what goes on the wire and how failures surface,
 * without a broker.
 */
class KafkaEventWriterTest {
  private static final String BOOTSTRAP = "127.0.0.1:19092";
  private static final String TOPIC = "web-events";

  private final List<WriteProgress> progress = new ArrayList<>();

  @Test
  void sendsEveryRecordWithItsKeyValueAndTimestamp() {
    List<GeneratedRecord> records = generate(settings().count(500).malformedFraction(0.1).build());
    MockProducer<byte[], byte[]> producer = mockProducer(true);

    GenerationSummary summary;
    try (KafkaEventWriter writer = new KafkaEventWriter(producer, BOOTSTRAP, TOPIC)) {
      summary = writer.write(records.iterator(), unpaced());
    }

    List<ProducerRecord<byte[], byte[]>> sent = producer.history();
    assertEquals(records.size(), sent.size());
    for (int i = 0; i < records.size(); i++) {
      assertEquals(TOPIC, sent.get(i).topic());
      assertNull(
          sent.get(i).partition(), "partitioned by key, so a client's requests stay in order");
      assertArrayEquals(records.get(i).key(), sent.get(i).key());
      assertArrayEquals(records.get(i).value(), sent.get(i).value());
      assertEquals(records.get(i).timestampMs(), sent.get(i).timestamp());
    }
    assertEquals(GenerationTally.of(records), summary);
    assertTrue(producer.flushed());
    assertTrue(producer.closed());
  }

  @Test
  void aFailedSendFailsTheRunNamingTheBroker() {
    List<GeneratedRecord> records = generate(settings().count(10).build());
    MockProducer<byte[], byte[]> producer = failingOnThirdSend();

    KafkaWriteException failure;
    try (KafkaEventWriter writer = new KafkaEventWriter(producer, BOOTSTRAP, TOPIC)) {
      failure =
          assertThrows(
              KafkaWriteException.class, () -> writer.write(records.iterator(), unpaced()));
    }

    assertEquals(
        "Cannot write to Kafka at 127.0.0.1:19092: Expiring 1 record(s) for web-events-0: 30000 ms has passed",
        failure.getMessage());
    assertEquals(3, failure.sentBeforeFailure().total());
  }

  @Test
  void anExceptionFromSendFailsTheRunWithTheInnermostReason() {
    MockProducer<byte[], byte[]> producer = mockProducer(true);
    producer.sendException =
        new KafkaException("Failed to send", new IllegalStateException("Producer is closed"));

    KafkaWriteException failure;
    try (KafkaEventWriter writer = new KafkaEventWriter(producer, BOOTSTRAP, TOPIC)) {
      failure =
          assertThrows(
              KafkaWriteException.class,
              () -> writer.write(generate(settings().count(3).build()).iterator(), unpaced()));
    }

    assertEquals(
        "Cannot write to Kafka at 127.0.0.1:19092: Producer is closed", failure.getMessage());
  }

  @Test
  void anUnresolvableBootstrapServerFailsFast() {
    KafkaWriteException failure =
        assertThrows(
            KafkaWriteException.class,
            () -> new KafkaEventWriter("no-such-host.invalid:9092", TOPIC));

    assertTrue(
        failure.getMessage().startsWith("Cannot write to Kafka at no-such-host.invalid:9092: "),
        failure.getMessage());
  }

  @Test
  void aStopRequestEndsTheRunWithWhatWasSentFlushed() {
    MockProducer<byte[], byte[]> producer = mockProducer(true);
    EventGenerator unbounded = new EventGenerator(settings().build());
    WriteControl stopAfterFive =
        new WriteControl(
            Pacer.unpaced(),
            () -> producer.history().size() >= 5,
            Duration.ofSeconds(2),
            progress::add);

    GenerationSummary summary;
    try (KafkaEventWriter writer = new KafkaEventWriter(producer, BOOTSTRAP, TOPIC)) {
      summary = writer.write(unbounded, stopAfterFive);
    }

    assertEquals(5, summary.total());
    assertTrue(producer.flushed());
  }

  @Test
  void reportsProgressAsItGoes() {
    MockProducer<byte[], byte[]> producer = mockProducer(true);
    WriteControl everyRecord =
        new WriteControl(Pacer.unpaced(), () -> false, Duration.ofNanos(1), progress::add);

    try (KafkaEventWriter writer = new KafkaEventWriter(producer, BOOTSTRAP, TOPIC)) {
      writer.write(generate(settings().count(50).build()).iterator(), everyRecord);
    }

    assertTrue(progress.size() > 1);
    assertEquals(50, progress.get(progress.size() - 1).sent());
    assertTrue(progress.get(0).toString().startsWith("sent "), progress.get(0).toString());
  }

  @Test
  void producerIsIdempotentAndWaitsForAllReplicas() {
    var config = KafkaEventWriter.producerConfig(BOOTSTRAP);

    assertEquals("all", config.get(ProducerConfig.ACKS_CONFIG));
    assertEquals(true, config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
    assertEquals(BOOTSTRAP, config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
  }

  private WriteControl unpaced() {
    return WriteControl.unpaced(progress::add);
  }

  private static MockProducer<byte[], byte[]> mockProducer(boolean autoComplete) {
    return new MockProducer<>(autoComplete, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Acknowledges two sends, then fails the third as an expired batch would. */
  private static MockProducer<byte[], byte[]> failingOnThirdSend() {
    return new MockProducer<>(false, new ByteArraySerializer(), new ByteArraySerializer()) {
      @Override
      public synchronized Future<RecordMetadata> send(
          ProducerRecord<byte[], byte[]> record, Callback callback) {
        Future<RecordMetadata> result = super.send(record, callback);
        if (history().size() == 3) {
          errorNext(
              new TimeoutException("Expiring 1 record(s) for web-events-0: 30000 ms has passed"));
        } else {
          completeNext();
        }
        return result;
      }
    };
  }
}
