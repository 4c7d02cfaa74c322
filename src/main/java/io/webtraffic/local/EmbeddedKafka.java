package io.webtraffic.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster in this JVM: one KRaft process that is both broker and controller,
 * listening on 127.0.0.1 only. Its data directory is formatted on first start and reused
 * afterwards.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
  private static final int NODE_ID = 1;

  private final KafkaRaftServer server;
  private final Admin admin;
  private final int port;
  private final Path dataDir;
  private final int saslPort;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafka(KafkaRaftServer server, Admin admin, int port, Path dataDir, int saslPort) {
    this.server = server;
    this.admin = admin;
    this.port = port;
    this.dataDir = dataDir;
    this.saslPort = saslPort;
  }

  /**
   * Starts the broker and returns once it accepts requests.
   *
   * @param dataDir folder for the configuration and the log; created if missing, kept across
   *     restarts
   * @param port client port on 127.0.0.1, or 0 for a free one
   */
  public static EmbeddedKafka start(Path dataDir, int port) {
    return start(dataDir, port, Map.of());
  }

  /**
   * Starts the broker with, besides the plaintext listener, a SASL_PLAINTEXT listener that accepts
   * the given users with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512: the authentication a managed Kafka
   * asks for, to test the job's client settings against.
   *
   * @param saslUsers user name to password; empty for no SASL listener
   */
  public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> saslUsers) {
    Path dir = dataDir.toAbsolutePath().normalize();
    int brokerPort = FreePorts.orFree(port);
    if (port != 0) {
      FreePorts.requireFree(brokerPort, "Kafka");
    }
    int controllerPort = pickOther(brokerPort);
    int saslPort = saslUsers.isEmpty() ? -1 : pickOther(brokerPort, controllerPort);
    Path logDir = dir.resolve("log");
    Properties config = brokerConfig(logDir, brokerPort, controllerPort);
    if (!saslUsers.isEmpty()) {
      addSaslListener(config, brokerPort, controllerPort, saslPort, saslUsers);
    }
    Path configFile = dir.resolve("server.properties");
    writeConfig(configFile, config);
    KraftStorage.formatIfNeeded(configFile, logDir);

    long startNanos = System.nanoTime();
    KafkaRaftServer server = null;
    Admin admin = null;
    try {
      server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
      server.startup();
      admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                  "127.0.0.1:" + brokerPort,
                  AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                  (int) ADMIN_TIMEOUT.toMillis()));
      admin.describeCluster().nodes().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      // One request per mechanism: a request may alter each user's credentials only once.
      for (ScramMechanism mechanism :
          saslUsers.isEmpty()
              ? List.<ScramMechanism>of()
              : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
        admin
            .alterUserScramCredentials(scramUsers(saslUsers, mechanism))
            .all()
            .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      closeQuietly(admin, server);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Cannot start Kafka in " + dir + ": " + e.getMessage(), e);
    }
    LOG.info(
        "Kafka started on 127.0.0.1:{} in {} ms (data in {})",
        brokerPort,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
        dir);
    return new EmbeddedKafka(server, admin, brokerPort, dir, saslPort);
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The SASL_PLAINTEXT listener's address; only when started with SASL users. */
  public String saslBootstrapServers() {
    if (saslPort < 0) {
      throw new IllegalStateException("This broker has no SASL listener");
    }
    return "127.0.0.1:" + saslPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * Creates a topic unless it exists (whatever its partition count), and returns once the broker
   * serves it, so a producer right after this call does not see "unknown topic".
   */
  public void createTopic(String name, int partitions) {
    try {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("Created topic {} with {} partitions", name, partitions);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "Cannot create topic " + name + ": " + e.getCause().getMessage(), e);
      }
      LOG.debug("Topic {} exists already", name);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Cannot create topic " + name + ": no answer within " + ADMIN_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot create topic " + name + ": interrupted", e);
    }
    awaitLeaders(name);
  }

  private void awaitLeaders(String name) {
    try {
      Await.until(() -> hasLeaders(name), ADMIN_TIMEOUT, "leaders of topic " + name);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Cannot use topic " + name + ": " + e.getMessage(), e);
    }
  }

  private boolean hasLeaders(String name) {
    try {
      TopicDescription description =
          admin
              .describeTopics(List.of(name))
              .allTopicNames()
              .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(name);
      return description != null
          && !description.partitions().isEmpty()
          && description.partitions().stream().allMatch(partition -> partition.leader() != null);
    } catch (ExecutionException | TimeoutException e) {
      // Not known to the broker's metadata cache yet: poll again.
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for topic " + name, e);
    }
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    long startNanos = System.nanoTime();
    closeQuietly(admin, server);
    LOG.info(
        "Kafka on 127.0.0.1:{} stopped in {} ms",
        port,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  private static void closeQuietly(Admin admin, KafkaRaftServer server) {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    if (server == null) {
      return;
    }
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Kafka did not shut down cleanly: {}", e.getMessage(), e);
    }
  }

  private static int pickOther(int... taken) {
    while (true) {
      int port = FreePorts.pick();
      if (java.util.Arrays.stream(taken).noneMatch(t -> t == port)) {
        return port;
      }
    }
  }

  private static void addSaslListener(
      Properties props,
      int brokerPort,
      int controllerPort,
      int saslPort,
      Map<String, String> users) {
    props.setProperty(
        "listeners",
        "PLAINTEXT://127.0.0.1:"
            + brokerPort
            + ",CONTROLLER://127.0.0.1:"
            + controllerPort
            + ",SASL_PLAINTEXT://127.0.0.1:"
            + saslPort);
    props.setProperty(
        "advertised.listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort);
    props.setProperty(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
    props.setProperty("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
    StringBuilder plain =
        new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
    users.forEach((user, password) -> plain.append(" user_" + user + "=\"" + password + "\""));
    props.setProperty(
        "listener.name.sasl_plaintext.plain.sasl.jaas.config", plain.append(";").toString());
    String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
    props.setProperty("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config", scram);
    props.setProperty("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", scram);
  }

  private static List<UserScramCredentialAlteration> scramUsers(
      Map<String, String> users, ScramMechanism mechanism) {
    List<UserScramCredentialAlteration> upserts = new java.util.ArrayList<>();
    users.forEach(
        (user, password) ->
            upserts.add(
                new UserScramCredentialUpsertion(
                    user, new ScramCredentialInfo(mechanism, 4096), password)));
    return upserts;
  }

  private static Properties brokerConfig(Path logDir, int brokerPort, int controllerPort) {
    Properties props = new Properties();
    // One combined KRaft node; a static voter list lets the controller port change between
    // restarts.
    props.setProperty("process.roles", "broker,controller");
    props.setProperty("node.id", Integer.toString(NODE_ID));
    props.setProperty("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    props.setProperty("controller.listener.names", "CONTROLLER");
    props.setProperty("inter.broker.listener.name", "PLAINTEXT");
    props.setProperty(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.setProperty("log.dirs", logDir.toString());
    // A single node: every replication factor is 1, and topics exist only when created on purpose.
    props.setProperty("num.partitions", "1");
    props.setProperty("default.replication.factor", "1");
    props.setProperty("min.insync.replicas", "1");
    props.setProperty("auto.create.topics.enable", "false");
    // Records carry their event's simulated time as timestamp: time-based retention would delete
    // a replayed week-old dataset within minutes. A local stack keeps everything.
    props.setProperty("log.retention.ms", "-1");
    props.setProperty("offsets.topic.replication.factor", "1");
    props.setProperty("offsets.topic.num.partitions", "5");
    props.setProperty("transaction.state.log.replication.factor", "1");
    props.setProperty("transaction.state.log.min.isr", "1");
    props.setProperty("transaction.state.log.num.partitions", "5");
    props.setProperty("group.initial.rebalance.delay.ms", "0");
    props.setProperty("server.max.startup.time.ms", "60000");
    // Left at its default of 9 s on purpose: after a kill -9 the restarted node waits that long for
    // its old
    // broker session to expire, but a shorter session would fence the broker during long GC pauses
    // under Spark.
    props.setProperty("broker.session.timeout.ms", "9000");
    return props;
  }

  private static void writeConfig(Path file, Properties config) {
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        config.store(out, "Written by EmbeddedKafka at each start; edits are overwritten");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write Kafka configuration " + file + ": " + e.getMessage(), e);
    }
  }
}
