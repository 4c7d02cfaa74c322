package io.webtraffic.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.config.FaultPoint;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.job.SparkSessions;
import io.webtraffic.local.Await;
import io.webtraffic.local.SharedStack;
import io.webtraffic.local.StackEndpoints;
import io.webtraffic.local.StackServices;
import io.webtraffic.maintain.Maintenance;
import io.webtraffic.maintain.TableReport;
import io.webtraffic.ops.FaultInjection;
import io.webtraffic.sink.IcebergTables;
import io.webtraffic.testing.CliRun;
import io.webtraffic.testing.JobProcess;
import io.webtraffic.testing.TestPipeline;
import io.webtraffic.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes-style target, run for real: the checkpoint and the Iceberg warehouse on an S3
 * object store (the stack's S3Proxy, reached through {@code s3a://} with path-style access and keys
 * from the environment), the tables in an Iceberg REST catalog (Iceberg's REST server over a JDBC
 * catalog in the shared PostgreSQL). The job is halted after its Iceberg commit, then killed with
 * SIGKILL in the middle of a batch, restarted, and every table, Iceberg and PostgreSQL, must equal
 * a run of the same records on the local disk that never failed; then status and rewind read and
 * move the checkpoint on the object store.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObjectStoreRestCatalogTest {
  static final String TOPIC = "topic-object-store";
  static final long RECORDS = 450;
  static final String NAME = "cloud";
  static final String CATALOG = "rest";

  @TempDir static Path workDir;
  StackServices services;
  StackServices.S3Keys keys;
  Map<String, List<String>> expected;

  @BeforeAll
  void startTheServicesAndRunTheReferenceOnLocalDisk() throws Exception {
    keys =
        new StackServices.S3Keys(
            "it-" + UUID.randomUUID().toString().substring(0, 8), UUID.randomUUID().toString());
    StackEndpoints stack = SharedStack.endpoints();
    long started = System.nanoTime();
    services =
        StackServices.start(
            new StackServices.Request(Optional.of(0), Optional.of(0)),
            workDir.resolve("services"),
            stack.jdbcUrl(),
            stack.jdbcUser(),
            workDir.resolve("rest-warehouse"),
            Optional.of(keys));
    System.out.printf(
        "[object store] S3 %s, REST catalog %s, up in %d ms%n",
        services.endpoints().s3Endpoint(),
        services.endpoints().restUri(),
        (System.nanoTime() - started) / 1_000_000);
    // The test JVM reads the store with the same keys: through Hadoop's configuration, as S3A's
    // SimpleAWSCredentialsProvider takes them, never from a file. New SparkConfs (the operator
    // commands run in-process below) read spark.* system properties.
    Map<String, String> hadoop = new LinkedHashMap<>(cloud().config().s3().hadoopSettings());
    hadoop.put("fs.s3a.access.key", keys.accessKeyId());
    hadoop.put("fs.s3a.secret.key", keys.secretAccessKey());
    Configuration conf = TestSpark.session().sparkContext().hadoopConfiguration();
    hadoop.forEach(
        (key, value) -> {
          conf.set(key, value);
          System.setProperty("spark.hadoop." + key, value);
        });
    SparkSessions.catalogSettings(cloud().config()).forEach(TestSpark.session().conf()::set);

    SharedStack.kafka().createTopic(TOPIC, 2);
    List<TestPipeline.Message> messages = PipelineEndToEndTest.messagesOfTheLastHours(23, RECORDS);
    TestPipeline reference =
        new TestPipeline("cloud_reference", stack, workDir, KillAndRestartTest.settings(TOPIC));
    reference.send(messages);
    reference.runToCompletion();
    expected = KillAndRestartTest.tables(reference, -1);
    assertTrue(expected.get("iceberg events").size() > 300, "the reference has events");
    assertTrue(expected.get("postgres pipeline_batches").size() >= 3, "over several batches");
  }

  @AfterAll
  void stopTheServices() {
    for (String key : List.of("endpoint", "path.style.access", "access.key", "secret.key")) {
      System.clearProperty("spark.hadoop.fs.s3a." + key);
    }
    if (services != null) {
      services.close();
    }
  }

  /** The job on the object store and the REST catalog: the K8s target's settings, local ports. */
  TestPipeline cloud() {
    Map<String, String> s = new LinkedHashMap<>(KillAndRestartTest.settings(TOPIC));
    StackServices.Endpoints e = services.endpoints();
    s.put("checkpoint-location", e.s3a("checkpoints/" + NAME));
    s.put("iceberg.catalog-type", "rest");
    s.put("iceberg.catalog-name", CATALOG);
    s.put("iceberg.catalog-uri", e.restUri());
    s.put("iceberg.warehouse", e.s3a("warehouse"));
    s.put("iceberg.io-impl", StackEndpoints.HADOOP_FILE_IO);
    s.put("s3.endpoint", e.s3Endpoint());
    s.put("s3.path-style-access", "true");
    return new TestPipeline(NAME, SharedStack.endpoints(), workDir, s);
  }

  Map<String, String> keysEnv() {
    return Map.of(
        StackServices.S3Keys.ACCESS_KEY_ENV,
        keys.accessKeyId(),
        StackServices.S3Keys.SECRET_KEY_ENV,
        keys.secretAccessKey());
  }

  @Test
  @Order(1)
  void haltedAfterIcebergThenKilledMidBatchThenRestartedEveryTableEqualsTheLocalDiskRun()
      throws Exception {
    TestPipeline p = cloud();
    String checkpoint = p.config().checkpointLocation();

    // 1. Halted (Runtime.halt, as kill -9) right after batch 1's Iceberg commits.
    Map<String, String> halting = new LinkedHashMap<>(p.flags());
    halting.put("fault-injection.halt-at", FaultPoint.AFTER_ICEBERG.configName());
    halting.put("fault-injection.batch", "1");
    long t0 = System.nanoTime();
    try (JobProcess job = JobProcess.start(halting, keysEnv(), workDir.resolve("halt.log"))) {
      assertEquals(FaultInjection.EXIT_CODE, job.awaitExit(Duration.ofMinutes(5)), job.output());
    }
    report("halted after-iceberg in batch 1", p, checkpoint, t0);
    assertEquals(List.of(0L), batches(checkpoint, "commits"), "batch 1 was not committed");
    assertEquals(List.of(0L, 1L), batches(checkpoint, "offsets"), "but planned");

    // 2. Restarted, and killed with SIGKILL while batch 2 runs: planned in the offset log of the
    // object store, not committed.
    long t1 = System.nanoTime();
    try (JobProcess job = JobProcess.start(p.flags(), keysEnv(), workDir.resolve("kill.log"))) {
      Await.until(
          () -> {
            List<Long> offsets = batchesUnchecked(checkpoint, "offsets");
            if (!offsets.contains(2L)) {
              return false;
            }
            return !batchesUnchecked(checkpoint, "commits").contains(2L);
          },
          Duration.ofMinutes(5),
          "batch 2 to be planned");
      job.kill();
    }
    report("SIGKILL in batch 2", p, checkpoint, t1);
    assertTrue(batches(checkpoint, "offsets").contains(2L), "batch 2 was planned");
    assertFalse(batches(checkpoint, "commits").contains(2L), "and killed before its commit");

    // 3. Restarted to the end.
    long t2 = System.nanoTime();
    try (JobProcess job = JobProcess.start(p.flags(), keysEnv(), workDir.resolve("rest.log"))) {
      assertEquals(0, job.awaitExit(Duration.ofMinutes(5)), job.output());
    }
    report("restarted to the end", p, checkpoint, t2);

    Map<String, List<String>> actual = KillAndRestartTest.tables(p, 1);
    Set<Long> unreported = KillAndRestartTest.unreportedBatches(p);
    assertTrue(
        unreported.stream().allMatch(b -> b <= 1),
        "only batches committed before a kill may lack Spark's drop count: " + unreported);
    for (String table : expected.keySet()) {
      List<String> want = expected.get(table);
      List<String> got = actual.get(table);
      if (table.equals("postgres pipeline_batches")) {
        want = KillAndRestartTest.withoutDropCount(want, unreported);
        got = KillAndRestartTest.withoutDropCount(got, unreported);
      }
      assertEquals(want, got, table);
    }
    Table events = Spark3Util.loadIcebergTable(TestSpark.session(), p.table(IcebergTables.EVENTS));
    assertTrue(events.location().startsWith("s3a://" + StackServices.BUCKET + "/warehouse/"));
    System.out.printf(
        "[object store] every table equals the local-disk run: %d events, %d late, %d dead"
            + " letters, %d batches; events table at %s, snapshots %s%n",
        actual.get("iceberg events").size(),
        actual.get("iceberg late_events").size(),
        actual.get("iceberg dead_letters").size(),
        actual.get("postgres pipeline_batches").size(),
        events.location(),
        snapshotIds(events));
  }

  @Test
  @Order(2)
  void maintainBesideTheRunningJobExpiresSnapshotsAndRemovesTheKilledBatchsFiles()
      throws Exception {
    TestPipeline p = cloud();
    PipelineConfig c = p.config();
    // Every snapshot but the newest may go, and every unreferenced file: the leftovers of the
    // killed batch are seconds old, below the 1-hour floor a user is held to (no write is in
    // progress: the job below has nothing to read).
    PipelineConfig now =
        new PipelineConfig(
            c.jobName(),
            c.kafka(),
            c.trigger(),
            c.checkpointLocation(),
            c.watermarkDelay(),
            c.maxFutureSkew(),
            c.limits(),
            c.filter(),
            c.windows(),
            c.iceberg(),
            c.s3(),
            c.postgres(),
            c.spark(),
            c.faultInjection(),
            new PipelineConfig.MaintenanceSettings(
                Duration.ofSeconds(1), 1, Duration.ofSeconds(1), Duration.ofMinutes(1), 0),
            c.enrichment(),
            c.quality());
    Table events = Spark3Util.loadIcebergTable(TestSpark.session(), p.table(IcebergTables.EVENTS));
    // A file as a writer that died before its commit leaves it (the killed batch may have left
    // some too, depending on where the kill fell).
    org.apache.hadoop.fs.Path planted =
        new org.apache.hadoop.fs.Path(events.location() + "/data/left-by-a-dead-writer.parquet");
    try (var out = fs(events.location()).create(planted)) {
      out.write("not committed".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    Set<String> unreferenced = unreferencedDataFiles(p, events);
    assertTrue(unreferenced.contains(planted.toString()), unreferenced.toString());
    int snapshots = snapshotIds(events).size();
    long lastJobSnapshot = events.currentSnapshot().snapshotId();
    long rows = KillAndRestartTest.eventsInIceberg(p);

    Map<String, String> service = new LinkedHashMap<>(p.flags());
    service.put("trigger", "1 second");
    List<TableReport> reports;
    try (JobProcess job = JobProcess.start(service, keysEnv(), workDir.resolve("beside.log"))) {
      job.awaitOutput("Starting job '" + NAME + "'", Duration.ofMinutes(3));
      reports = new Maintenance(now).run(TestSpark.session());
      job.terminate();
      assertEquals(0, job.awaitExit(Duration.ofMinutes(3)), job.output());
    }
    reports.forEach(r -> System.out.println("[object store] maintain: " + r));

    TableReport report =
        reports.stream().filter(r -> r.table().endsWith(".events")).findFirst().orElseThrow();
    events.refresh();
    assertEquals(snapshots - 1, report.snapshotsExpired(), "all but the job's newest snapshot");
    assertTrue(snapshotIds(events).contains(lastJobSnapshot), "which a replay needs: kept");
    assertTrue(
        report.orphansRemoved() >= unreferenced.size(),
        report + " removes at least the data files no snapshot references: " + unreferenced);
    assertEquals(Set.of(), unreferencedDataFiles(p, events), "none is left on the object store");
    assertFalse(fs(events.location()).exists(planted));
    assertEquals(rows, KillAndRestartTest.eventsInIceberg(p), "no row changed");
    System.out.printf(
        "[object store] events: %d snapshots -> %s, %d data files of no snapshot before (one planted,"
            + " the rest the killed batch's), %d orphan files removed, %d rows before and after%n",
        snapshots, snapshotIds(events), unreferenced.size(), report.orphansRemoved(), rows);
  }

  /** Data files under the table's data/ folder on the object store that no snapshot references. */
  static Set<String> unreferencedDataFiles(TestPipeline p, Table table) throws IOException {
    Set<String> referenced = new java.util.HashSet<>();
    TestSpark.session()
        .table(p.table(IcebergTables.EVENTS) + ".all_files")
        .select("file_path")
        .collectAsList()
        .forEach(r -> referenced.add(r.getString(0)));
    Set<String> unreferenced = new java.util.TreeSet<>();
    org.apache.hadoop.fs.Path data = new org.apache.hadoop.fs.Path(table.location(), "data");
    FileSystem fs = fs(table.location());
    if (!fs.exists(data)) {
      return unreferenced;
    }
    var files = fs.listFiles(data, true);
    while (files.hasNext()) {
      String path = files.next().getPath().toString();
      if (!referenced.contains(path)) {
        unreferenced.add(path);
      }
    }
    return unreferenced;
  }

  @Test
  @Order(3)
  void statusAndRewindReadAndMoveTheCheckpointOnTheObjectStore() throws Exception {
    TestPipeline p = cloud();
    String checkpoint = p.config().checkpointLocation();
    List<Long> committed = batches(checkpoint, "commits");

    CliRun status = cli("status");

    assertEquals(0, status.code(), status.err());
    assertTrue(status.out().contains("Job '" + NAME + "', checkpoint " + checkpoint), status.out());
    assertTrue(
        status.out().contains("Last committed batch " + committed.get(committed.size() - 1)),
        status.out());
    assertTrue(
        status
            .out()
            .lines()
            .anyMatch(l -> l.matches("total\\s+" + RECORDS + "\\s+" + RECORDS + "\\s+0")),
        status.out());
    assertTrue(
        fs(checkpoint)
            .exists(new org.apache.hadoop.fs.Path(checkpoint + "/../" + NAME + "-position.json")));

    CliRun rewind =
        cli("rewind", "--to", Instant.now().minus(Duration.ofDays(1)).toString(), "--force");

    assertEquals(0, rewind.code(), rewind.err());
    assertTrue(rewind.out().contains("Moved the old checkpoint to " + checkpoint), rewind.out());
    String moved =
        rewind
            .out()
            .lines()
            .filter(l -> l.contains("Moved the old checkpoint to "))
            .findFirst()
            .orElseThrow()
            .replaceAll(".*Moved the old checkpoint to (\\S+)\\. .*", "$1");
    assertEquals(committed, batches(moved, "commits"), "the whole old checkpoint was moved");
    assertEquals(List.of(), batches(checkpoint, "commits"), "the new one has no batch yet");
    CliRun after = cli("status");
    assertEquals(3, after.code(), after.out() + after.err());
  }

  CliRun cli(String command, String... more) {
    List<String> args = new ArrayList<>(List.of(command));
    cloud()
        .flags()
        .forEach(
            (k, v) -> {
              args.add("--set");
              args.add(k + "=" + v);
            });
    args.addAll(Arrays.asList(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  void report(String what, TestPipeline p, String checkpoint, long startNanos) throws Exception {
    System.out.printf(
        "[object store] %s after %d s: committed batches %s, %d records accounted in PostgreSQL,"
            + " %d events in Iceberg%n",
        what,
        (System.nanoTime() - startNanos) / 1_000_000_000,
        batches(checkpoint, "commits"),
        KillAndRestartTest.recordsAccounted(p),
        tableExists(p) ? KillAndRestartTest.eventsInIceberg(p) : 0);
  }

  static boolean tableExists(TestPipeline p) {
    return TestSpark.session().catalog().tableExists(p.table(IcebergTables.EVENTS));
  }

  static List<Long> snapshotIds(Table table) {
    List<Long> ids = new ArrayList<>();
    table.snapshots().forEach(s -> ids.add(s.snapshotId()));
    return ids;
  }

  static FileSystem fs(String location) throws IOException {
    return new org.apache.hadoop.fs.Path(location)
        .getFileSystem(TestSpark.session().sparkContext().hadoopConfiguration());
  }

  /** The batch ids of a checkpoint log on the object store, ascending. */
  static List<Long> batches(String checkpoint, String log) throws IOException {
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(checkpoint, log);
    FileSystem fs = fs(checkpoint);
    if (!fs.exists(dir)) {
      return List.of();
    }
    return Arrays.stream(fs.listStatus(dir))
        .map(s -> s.getPath().getName())
        .filter(n -> n.matches("\\d+"))
        .map(Long::parseLong)
        .sorted()
        .toList();
  }

  static List<Long> batchesUnchecked(String checkpoint, String log) {
    try {
      return batches(checkpoint, log);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
