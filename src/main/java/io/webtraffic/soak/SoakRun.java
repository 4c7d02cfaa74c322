package io.webtraffic.soak;

import io.webtraffic.config.ConfigLoader;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.generate.EventGenerator;
import io.webtraffic.generate.GenerationSummary;
import io.webtraffic.generate.GeneratorSettings;
import io.webtraffic.generate.KafkaEventWriter;
import io.webtraffic.generate.Pacer;
import io.webtraffic.generate.WriteControl;
import io.webtraffic.job.PipelineJob;
import io.webtraffic.job.SparkSessions;
import io.webtraffic.local.Await;
import io.webtraffic.local.EmbeddedStack;
import io.webtraffic.sink.PostgresSink;
import io.webtraffic.source.KafkaAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The soak run: the whole job on a fresh embedded stack (free ports), fed by the generator at a
 * fixed fraction of the rate it can sustain, for a fixed time. Reports per interval the batch
 * duration, heap used after a full GC, state rows and Kafka lag, and fails when one of them grows
 * without bound or the accounting identity breaks. Everything runs in one JVM, so the heap is the
 * job's, the broker's and the generator's together.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = "Run the job under steady load and check that nothing grows without bound.")
public final class SoakRun implements Callable<Integer> {
  @Option(names = "--duration", description = "Load duration (default: ${DEFAULT-VALUE}).")
  Duration duration = Duration.ofMinutes(30);

  @Option(names = "--interval", description = "Report interval (default: ${DEFAULT-VALUE}).")
  Duration interval = Duration.ofMinutes(5);

  @Option(
      names = "--sustainable-rate",
      description =
          "Records/s the job sustains; 0 measures it first by draining a backlog (default: 0).")
  double sustainableRate = 0;

  @Option(
      names = "--fraction",
      description = "Fraction of the sustainable rate to generate (default: ${DEFAULT-VALUE}).")
  double fraction = 0.5;

  @Option(
      names = "--calibration-records",
      description = "Backlog drained to measure the rate (default: ${DEFAULT-VALUE}).")
  long calibrationRecords = 20_000;

  @Option(names = "--trigger", description = "Trigger interval (default: ${DEFAULT-VALUE}).")
  String trigger = "10 seconds";

  @Option(
      names = "--data-dir",
      description = "Stack, checkpoint and warehouse (default: a new temp dir).")
  Path dataDir;

  @Option(
      names = "--growth-ratio",
      description = "last/first ratio that counts as growth (default: ${DEFAULT-VALUE}).")
  double growthRatio = 1.5;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SoakRun()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("webtraffic-soak-");
    try (EmbeddedStack stack = EmbeddedStack.start(dir.resolve("stack"), 0, 0)) {
      PipelineConfig config = config(stack, dir);
      new PostgresSink(config.postgres(), config.jobName()).createTablesIfMissing();
      SparkSession spark = SparkSessions.create(config);
      SoakMetrics metrics = new SoakMetrics();
      spark.streams().addListener(metrics.listener());
      StreamingQuery query = PipelineJob.create(spark, config, metrics::onBatch).start(spark);
      try (KafkaAdmin kafka = KafkaAdmin.connect(config.kafka())) {
        var partitions = kafka.partitions(config.kafka().topic());
        long sent = 0;
        double rate = sustainableRate;
        if (rate <= 0) {
          long t0 = System.nanoTime();
          sent += generate(stack, calibrationRecords, 1000, Pacer.unpaced(), new AtomicBoolean());
          long total = sent;
          Await.until(() -> metrics.read() >= total, Duration.ofMinutes(30), "calibration drain");
          rate = calibrationRecords / ((System.nanoTime() - t0) / 1e9);
          System.out.printf(
              "Sustainable rate measured: %.0f records/s (%d records drained in %.0f s)%n",
              rate, calibrationRecords, calibrationRecords / rate);
        }
        double load = rate * fraction;
        System.out.printf(
            "Soak: %.0f records/s (%.0f%% of %.0f) for %s, report every %s, trigger %s%n",
            load, fraction * 100, rate, duration, interval, trigger);
        metrics.startIntervals(interval, () -> kafka.latest(partitions).total());
        AtomicBoolean stop = new AtomicBoolean();
        long[] generated = new long[1];
        Thread generator =
            new Thread(
                () ->
                    generated[0] =
                        generate(
                            stack, GeneratorSettings.UNBOUNDED, load, Pacer.atRate(load), stop),
                "soak-generator");
        generator.start();
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end && query.isActive()) {
          metrics.sample(Instant.now());
          Thread.sleep(1000); // the sampling period of heap and lag, not a synchronisation
        }
        stop.set(true);
        generator.join();
        metrics.closeInterval(Instant.now());
        long expected = sent + generated[0];
        if (query.isActive()) {
          Await.until(() -> metrics.read() >= expected, Duration.ofMinutes(10), "final drain");
        }
        query.stop();
        boolean accountingHolds =
            checkAccounting(config, expected, kafka.latest(partitions).total());
        List<SoakMetrics.Interval> intervals = metrics.intervals();
        System.out.println();
        System.out.println(SoakMetrics.table(intervals));
        Map<String, Growth.Verdict> verdicts =
            verdicts(intervals, load * config.trigger().interval().toSeconds());
        verdicts.forEach((measure, v) -> System.out.printf("%-16s %s%n", measure, v));
        boolean bounded = verdicts.values().stream().noneMatch(v -> v == Growth.Verdict.GROWING);
        System.out.printf(
            "Soak %s: %d records, accounting identity %s, every measure %s%n",
            bounded && accountingHolds ? "PASSED" : "FAILED",
            expected,
            accountingHolds ? "holds" : "BROKEN",
            bounded ? "bounded" : "NOT bounded");
        return bounded && accountingHolds ? 0 : 1;
      } finally {
        if (query.isActive()) {
          query.stop();
        }
        spark.stop();
      }
    }
  }

  private PipelineConfig config(EmbeddedStack stack, Path dir) {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("job-name", "soak");
    flags.put("kafka.bootstrap-servers", stack.endpoints().bootstrapServers());
    flags.put("kafka.topic", EmbeddedStack.DEFAULT_TOPIC);
    flags.put("trigger", trigger);
    flags.put("checkpoint-location", dir.resolve("checkpoint").toString());
    flags.put("iceberg.warehouse", stack.endpoints().warehouse().toString());
    flags.put("postgres.url", stack.endpoints().jdbcUrl());
    flags.put("postgres.user", "webtraffic_job");
    flags.put("postgres.migrate-user", "webtraffic_owner");
    flags.put("postgres.upsert-events", "true");
    // Short event-time horizons, so state reaches its steady size within the first interval.
    flags.put("event-time.watermark-delay", "1 minute");
    flags.put("windows.session-gap", "1 minute");
    flags.put("windows.count-flush-after", "1 minute");
    flags.put("spark.shuffle-partitions", "2");
    return ConfigLoader.load(Optional.empty(), Map.of(), flags, dir);
  }

  /** Writes generated traffic whose event time advances at {@code rate} records/s. */
  private static long generate(
      EmbeddedStack stack, long count, double rate, Pacer pacer, AtomicBoolean stop) {
    GeneratorSettings settings =
        GeneratorSettings.builder()
            .seed(System.nanoTime())
            .count(count)
            .ratePerSecond(rate)
            .start(Instant.now())
            .lateFraction(0.005)
            .lateBy(Duration.ofMinutes(5))
            .futureBy(Duration.ofHours(1))
            .build();
    try (KafkaEventWriter writer =
        new KafkaEventWriter(stack.endpoints().bootstrapServers(), EmbeddedStack.DEFAULT_TOPIC)) {
      GenerationSummary summary =
          writer.write(
              new EventGenerator(settings),
              new WriteControl(pacer, stop::get, WriteControl.PROGRESS_EVERY_DEFAULT, p -> {}));
      return summary.total();
    }
  }

  /** {@code recordsPerTrigger}: a lag below one trigger's worth of records is not growth. */
  private Map<String, Growth.Verdict> verdicts(
      List<SoakMetrics.Interval> intervals, double recordsPerTrigger) {
    Map<String, Growth.Verdict> v = new LinkedHashMap<>();
    v.put(
        "batch duration",
        new Growth(growthRatio, 1000).of(intervals.stream().map(i -> i.medianBatchMs()).toList()));
    v.put(
        "heap after GC",
        new Growth(growthRatio, 128e6)
            .of(intervals.stream().map(i -> i.heapAfterGcBytes()).toList()));
    v.put(
        "state rows",
        new Growth(growthRatio, 1000).of(intervals.stream().map(i -> i.stateRows()).toList()));
    v.put(
        "Kafka lag",
        new Growth(growthRatio, recordsPerTrigger)
            .of(intervals.stream().map(i -> i.meanLag()).toList()));
    return v;
  }

  /**
   * Every record in Kafka was read, each batch's counts add up, and the totals add up: read =
   * events + duplicates + late + dead-lettered + filtered.
   */
  private static boolean checkAccounting(PipelineConfig config, long generated, long inKafka)
      throws Exception {
    try (Connection c =
            DriverManager.getConnection(config.postgres().url(), config.postgres().user(), "");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT sum(records_read), sum(events + duplicates + late + dead_lettered + filtered),"
                    + " count(*) FILTER (WHERE records_read <> events + duplicates + late"
                    + " + dead_lettered + filtered) FROM "
                    + config.postgres().schema()
                    + ".pipeline_batches")) {
      rs.next();
      long read = rs.getLong(1);
      long accounted = rs.getLong(2);
      long badBatches = rs.getLong(3);
      System.out.printf(
          "Accounting: generated %d, in Kafka %d, read %d, accounted %d, batches not adding up %d%n",
          generated, inKafka, read, accounted, badBatches);
      return generated == inKafka && read == inKafka && accounted == read && badBatches == 0;
    }
  }
}
