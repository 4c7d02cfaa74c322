package io.webtraffic.testing;

import io.webtraffic.config.ConfigLoader;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.job.BatchReport;
import io.webtraffic.job.PipelineJob;
import io.webtraffic.local.StackEndpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * A pipeline under test: its own topic, namespace, PostgreSQL schema and checkpoint on the shared
 * embedded stack and Spark session, run to completion with {@code availableNow}.
 */
public final class TestPipeline {
  private static final long RUN_TIMEOUT_MINUTES = 5;

  private final String name;
  private final StackEndpoints stack;
  private final Path checkpoint;
  private final Map<String, String> extra;
  public final List<BatchReport> reports = Collections.synchronizedList(new ArrayList<>());

  /** The physical plan of the last batch of the last run. */
  public String lastPlan;

  public TestPipeline(String name, StackEndpoints stack, Path workDir, Map<String, String> extra) {
    this.name = name;
    this.stack = stack;
    this.checkpoint = workDir.resolve("checkpoint-" + name);
    this.extra = extra;
  }

  /** Its own topic, unless the settings name one (pipelines that read the same records). */
  public String topic() {
    return extra.getOrDefault("kafka.topic", "topic-" + name);
  }

  public String table(String table) {
    return extra.getOrDefault("iceberg.catalog-name", TestSpark.CATALOG) + "." + name + "." + table;
  }

  public String pgTable(String table) {
    return name + "." + table;
  }

  public Path checkpoint() {
    return checkpoint;
  }

  public PipelineConfig config() {
    return ConfigLoader.load(Optional.empty(), Map.of(), flags(), checkpoint.getParent());
  }

  /** The settings of this pipeline, as the command line's --set flags would give them. */
  public Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("job-name", name);
    flags.put("kafka.bootstrap-servers", stack.bootstrapServers());
    flags.put("kafka.topic", topic());
    flags.put("trigger", "availableNow");
    flags.put("checkpoint-location", checkpoint.toString());
    flags.put("iceberg.catalog-name", TestSpark.CATALOG);
    flags.put("iceberg.warehouse", TestSpark.WAREHOUSE.toString());
    flags.put("iceberg.namespace", name);
    flags.put("postgres.url", stack.jdbcUrl());
    flags.put("postgres.user", stack.jdbcUser());
    flags.put("postgres.schema", name);
    flags.put("spark.shuffle-partitions", "2");
    flags.putAll(extra);
    return flags;
  }

  /** Starts the job with its configured trigger; the caller stops the query. */
  public StreamingQuery start() throws TimeoutException {
    return PipelineJob.create(TestSpark.session(), config(), reports::add)
        .start(TestSpark.session());
  }

  /** Runs the job with availableNow until it has drained the topic; returns this run's reports. */
  public List<BatchReport> runToCompletion() throws Exception {
    int before = reports.size();
    StreamingQuery query = start();
    boolean finished = query.awaitTermination(TimeUnit.MINUTES.toMillis(RUN_TIMEOUT_MINUTES));
    var execution =
        ((org.apache.spark.sql.execution.streaming.StreamingQueryWrapper) query)
            .streamingQuery()
            .lastExecution();
    lastPlan = execution == null ? null : execution.executedPlan().toString();
    if (!finished) {
      query.stop();
      throw new AssertionError(
          "availableNow run did not finish within " + RUN_TIMEOUT_MINUTES + " min");
    }
    List<BatchReport> run = new ArrayList<>(reports.subList(before, reports.size()));
    run.forEach(r -> System.out.println("[" + name + "] " + r));
    return run;
  }

  /** One Kafka record to send. */
  public record Message(byte[] key, byte[] value, long timestampMs) {}

  /** Sends to this pipeline's topic, in order, and waits until the broker has them all. */
  public void send(List<Message> messages) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Message m : messages) {
        producer.send(new ProducerRecord<>(topic(), null, m.timestampMs(), m.key(), m.value()));
      }
      producer.flush();
    }
  }

  /**
   * Makes the checkpoint forget that its last data batch (and the no-data batch after it)
   * committed, as a crash after the sinks' commits but before Spark's would: the next run replays
   * that batch from the same offsets. Returns the id of the batch that will be replayed.
   */
  public long forgetLastDataBatch() throws IOException {
    List<Long> committed = batches(checkpoint.resolve("commits"));
    long last = committed.get(committed.size() - 1);
    long lastData = last - 1;
    for (String file : List.of("offsets/" + last, "commits/" + last, "commits/" + lastData)) {
      Files.delete(checkpoint.resolve(file));
      Path crc =
          checkpoint.resolve(file).resolveSibling("." + Path.of(file).getFileName() + ".crc");
      Files.deleteIfExists(crc);
    }
    return lastData;
  }

  /** The batch ids in a checkpoint log ({@code offsets} or {@code commits}), ascending. */
  public static List<Long> batches(Path log) throws IOException {
    try (var files = Files.list(log)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.matches("\\d+"))
          .map(Long::parseLong)
          .sorted()
          .toList();
    }
  }

  public Connection postgres() throws SQLException {
    return DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), "");
  }
}
