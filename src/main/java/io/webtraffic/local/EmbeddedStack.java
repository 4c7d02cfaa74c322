package io.webtraffic.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default stack: Kafka with the pipeline's input topic, PostgreSQL, and a local folder
 * for the Iceberg warehouse, all under one data directory that survives restarts.
 */
public final class EmbeddedStack implements AutoCloseable {
  public static final String DEFAULT_TOPIC = "web-events";
  public static final int DEFAULT_TOPIC_PARTITIONS = 2;

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

  private final EmbeddedKafka kafka;
  private final EmbeddedPostgresServer postgres;
  private final StackEndpoints endpoints;

  private EmbeddedStack(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, Path warehouse) {
    this.kafka = kafka;
    this.postgres = postgres;
    this.endpoints =
        new StackEndpoints(
            kafka.bootstrapServers(), postgres.jdbcUrl(), postgres.user(), warehouse);
  }

  /**
   * Starts both servers under {@code dataDir} ({@code kafka/}, {@code postgres/}, {@code
   * warehouse/}) and creates the default topic; returns once both accept connections.
   *
   * @param kafkaPort Kafka's port on 127.0.0.1, or 0 for a free one
   * @param postgresPort PostgreSQL's port on 127.0.0.1, or 0 for a free one
   */
  public static EmbeddedStack start(Path dataDir, int kafkaPort, int postgresPort) {
    StackFiles files = new StackFiles(dataDir);
    try {
      Files.createDirectories(files.warehouseDir());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the Iceberg warehouse " + files.warehouseDir(), e);
    }
    // PostgreSQL first: it runs in its own processes, and shutting it down after a failed Kafka
    // start is quick.
    EmbeddedPostgresServer postgres =
        EmbeddedPostgresServer.start(files.postgresDir(), postgresPort);
    EmbeddedKafka kafka = null;
    try {
      kafka = EmbeddedKafka.start(files.kafkaDir(), kafkaPort);
      kafka.createTopic(DEFAULT_TOPIC, DEFAULT_TOPIC_PARTITIONS);
    } catch (RuntimeException e) {
      closeAll(kafka, postgres, e);
      throw e;
    }
    EmbeddedStack stack = new EmbeddedStack(kafka, postgres, files.warehouseDir());
    LOG.info("Embedded stack ready in {}: {}", files.dir(), stack.endpoints());
    return stack;
  }

  public StackEndpoints endpoints() {
    return endpoints;
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  public EmbeddedPostgresServer postgres() {
    return postgres;
  }

  /** Stops Kafka, then PostgreSQL; a failure of one does not keep the other running. */
  @Override
  public void close() {
    RuntimeException failure = closeAll(kafka, postgres, null);
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException closeAll(
      EmbeddedKafka kafka, EmbeddedPostgresServer postgres, RuntimeException failure) {
    RuntimeException result = failure;
    for (AutoCloseable server : new AutoCloseable[] {kafka, postgres}) {
      if (server == null) {
        continue;
      }
      try {
        server.close();
      } catch (Exception e) {
        RuntimeException wrapped =
            e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e);
        if (result == null) {
          result = wrapped;
        } else {
          result.addSuppressed(wrapped);
        }
      }
    }
    return result;
  }
}
