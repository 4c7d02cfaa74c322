package io.webtraffic.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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
  private final StackServices services;
  private final StackEndpoints endpoints;

  private EmbeddedStack(
      EmbeddedKafka kafka,
      EmbeddedPostgresServer postgres,
      StackServices services,
      Path warehouse) {
    this.kafka = kafka;
    this.postgres = postgres;
    this.services = services;
    this.endpoints =
        new StackEndpoints(
            kafka.bootstrapServers(),
            postgres.jdbcUrl(),
            postgres.user(),
            warehouse,
            services == null ? StackServices.Endpoints.NONE : services.endpoints());
  }

  /**
   * Starts both servers under {@code dataDir} ({@code kafka/}, {@code postgres/}, {@code
   * warehouse/}) and creates the default topic; returns once both accept connections.
   *
   * @param kafkaPort Kafka's port on 127.0.0.1, or 0 for a free one
   * @param postgresPort PostgreSQL's port on 127.0.0.1, or 0 for a free one
   */
  public static EmbeddedStack start(Path dataDir, int kafkaPort, int postgresPort) {
    return start(dataDir, kafkaPort, postgresPort, StackServices.Request.NONE, Optional.empty());
  }

  /**
   * With the optional object store and REST catalog ({@link StackServices}), started last: the
   * catalog keeps its tables in this PostgreSQL.
   *
   * @param keys the S3 keys the object store accepts; required when it runs
   */
  public static EmbeddedStack start(
      Path dataDir,
      int kafkaPort,
      int postgresPort,
      StackServices.Request services,
      Optional<StackServices.S3Keys> keys) {
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
    StackServices extra = null;
    try {
      kafka = EmbeddedKafka.start(files.kafkaDir(), kafkaPort);
      kafka.createTopic(DEFAULT_TOPIC, DEFAULT_TOPIC_PARTITIONS);
      if (services.any()) {
        extra =
            StackServices.start(
                services,
                files.dir(),
                postgres.jdbcUrl(),
                postgres.user(),
                files.warehouseDir(),
                keys);
      }
    } catch (RuntimeException e) {
      closeAll(e, extra, kafka, postgres);
      throw e;
    }
    EmbeddedStack stack = new EmbeddedStack(kafka, postgres, extra, files.warehouseDir());
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

  /**
   * Stops the object store and REST catalog, Kafka, then PostgreSQL; a failure of one does not keep
   * the others running.
   */
  @Override
  public void close() {
    RuntimeException failure = closeAll(null, services, kafka, postgres);
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException closeAll(RuntimeException failure, AutoCloseable... servers) {
    RuntimeException result = failure;
    for (AutoCloseable server : servers) {
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
