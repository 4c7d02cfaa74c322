package io.webtraffic.generate;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes generated records to a Kafka topic with their own key, value and timestamp. The producer
 * is idempotent and waits for all replicas, so the only duplicates on the topic are the generator's
 * own DUPLICATE records. A failed send fails the run: a silently shorter topic would break every
 * count the pipeline is checked against.
 */
public final class KafkaEventWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventWriter.class);

  /**
   * Short enough that an unreachable broker fails a run in seconds, not the client's default
   * minute.
   */
  static final int MAX_BLOCK_MS = 15_000;

  /** A broker gone mid-run fails the run within half a minute, not the client's default two. */
  static final int REQUEST_TIMEOUT_MS = 10_000;

  static final int DELIVERY_TIMEOUT_MS = 30_000;
  static final int LINGER_MS = 5;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final Producer<byte[], byte[]> producer;
  private final String bootstrapServers;
  private final String topic;
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();

  public KafkaEventWriter(String bootstrapServers, String topic) {
    this(bootstrapServers, topic, Map.of());
  }

  /** With client settings on top of the producer's own, e.g. SASL from the job's configuration. */
  public KafkaEventWriter(String bootstrapServers, String topic, Map<String, String> client) {
    this(createProducer(bootstrapServers, client), bootstrapServers, topic);
  }

  /** For tests, with a {@code MockProducer}. */
  KafkaEventWriter(Producer<byte[], byte[]> producer, String bootstrapServers, String topic) {
    this.producer = producer;
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
  }

  /** Writes {@code records} as fast as possible, flushes, closes, and returns what was written. */
  public static GenerationSummary write(
      String bootstrapServers, String topic, Iterable<GeneratedRecord> records) {
    try (KafkaEventWriter writer = new KafkaEventWriter(bootstrapServers, topic)) {
      return writer.write(
          records.iterator(), WriteControl.unpaced(progress -> LOG.info("{}", progress)));
    }
  }

  public static Map<String, Object> producerConfig(String bootstrapServers) {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers,
        ProducerConfig.ACKS_CONFIG,
        "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
        true,
        ProducerConfig.LINGER_MS_CONFIG,
        LINGER_MS,
        ProducerConfig.MAX_BLOCK_MS_CONFIG,
        MAX_BLOCK_MS,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        REQUEST_TIMEOUT_MS,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        DELIVERY_TIMEOUT_MS,
        ProducerConfig.CLIENT_ID_CONFIG,
        "webtraffic-generator",
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
        ByteArraySerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
        ByteArraySerializer.class.getName());
  }

  /**
   * Sends records until they run out or a stop is requested, then flushes.
   *
   * @return the records sent, all acknowledged by the broker
   * @throws KafkaWriteException if any record could not be written
   */
  public GenerationSummary write(Iterator<GeneratedRecord> records, WriteControl control) {
    GenerationTally tally = new GenerationTally();
    ProgressMeter progress = new ProgressMeter(control.progressEvery(), control.onProgress());
    try {
      while (records.hasNext() && !control.stopRequested().getAsBoolean()) {
        if (!control.pacer().awaitTurn(tally.total(), control.stopRequested())) {
          break;
        }
        GeneratedRecord record = records.next();
        producer.send(
            new ProducerRecord<>(
                topic,
                null,
                control.pacer().timestampMs(record.timestampMs()),
                record.key(),
                record.value()),
            (metadata, error) -> {
              if (error != null) {
                sendFailure.compareAndSet(null, error);
              }
            });
        tally.add(record);
        throwIfFailed(tally);
        progress.sent(tally.total(), record.timestampMs());
      }
      LOG.debug("Flushing after {} records", tally.total());
      producer.flush();
    } catch (KafkaException e) {
      throw new KafkaWriteException(bootstrapServers, e, tally.summary());
    }
    throwIfFailed(tally);
    return tally.summary();
  }

  @Override
  public void close() {
    producer.close(CLOSE_TIMEOUT);
  }

  private void throwIfFailed(GenerationTally tally) {
    Exception failure = sendFailure.get();
    if (failure != null) {
      throw new KafkaWriteException(bootstrapServers, failure, tally.summary());
    }
  }

  private static Producer<byte[], byte[]> createProducer(
      String bootstrapServers, Map<String, String> client) {
    Map<String, Object> config = new HashMap<>(producerConfig(bootstrapServers));
    config.putAll(client);
    try {
      return new KafkaProducer<>(config);
    } catch (KafkaException e) {
      throw new KafkaWriteException(bootstrapServers, e, new GenerationTally().summary());
    }
  }
}
