package io.webtraffic.bench;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.job.BatchReport;
import io.webtraffic.local.Await;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Latency and cost against the trigger interval at a fixed input rate. Events are sent by the
 * project's generator in a separate JVM (so its CPU is not the job's) to a topic with broker append
 * timestamps; a row's latency is the time its batch finished committing both sinks minus its Kafka
 * append time. Cost is the job JVM's CPU time from the first record sent to the last one committed,
 * per million records.
 */
final class TriggerCurve {
  static final String SECTION = "Latency and cost versus trigger interval";
  private static final Logger LOG = LoggerFactory.getLogger(TriggerCurve.class);

  /** One trigger interval's result, for the chart. */
  record Point(int triggerSeconds, double p50Seconds, double p99Seconds, double cpuPerMillion) {}

  private final SparkSession spark;
  private final BenchJobs jobs;
  private final BenchSettings settings;
  private final Topics topics;

  TriggerCurve(SparkSession spark, BenchJobs jobs, BenchSettings settings, Topics topics) {
    this.spark = spark;
    this.jobs = jobs;
    this.settings = settings;
    this.topics = topics;
  }

  static String p50Name(int trigger) {
    return String.format(Locale.ROOT, "trigger %d s: latency p50", trigger);
  }

  static String p99Name(int trigger) {
    return String.format(Locale.ROOT, "trigger %d s: latency p99", trigger);
  }

  static String cpuName(int trigger) {
    return String.format(Locale.ROOT, "trigger %d s: CPU per million events", trigger);
  }

  List<Point> run(double rate, ResultTable table) throws Exception {
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < settings.triggerSeconds().size(); i++) {
      int trigger = settings.triggerSeconds().get(i);
      int input = settings.inputSeconds().get(i);
      Point p = one(trigger, input, rate);
      points.add(p);
      table.add(Measurement.of(SECTION, p50Name(trigger), "s", p.p50Seconds()));
      table.add(Measurement.of(SECTION, p99Name(trigger), "s", p.p99Seconds()));
      table.add(Measurement.of(SECTION, cpuName(trigger), "CPU-s/M", p.cpuPerMillion()));
    }
    for (Point p : points) {
      table.atMost(
          String.format(
              Locale.ROOT, "p99 latency at trigger %d s (≤ trigger + 2 s)", p.triggerSeconds()),
          p99Name(p.triggerSeconds()),
          p.triggerSeconds() + 2.0);
    }
    return points;
  }

  private Point one(int trigger, int inputSeconds, double rate) throws Exception {
    String name = "bench_curve_" + trigger;
    String topic = topics.createWithAppendTime(name);
    PipelineConfig config = jobs.config(name, topic, Map.of("trigger", trigger + " seconds"));
    Map<Long, Long> committedAt = new ConcurrentHashMap<>();
    List<BatchReport> reports = new ArrayList<>();
    StreamingQuery query =
        jobs.start(
            BenchJobs.Stage.FULL,
            config,
            r -> {
              committedAt.put(r.batchId(), System.currentTimeMillis());
              synchronized (reports) {
                reports.add(r);
              }
            });
    try {
      // The first, empty batch creates the tables and plans the query: not part of the cost.
      Await.until(
          () -> query.lastProgress() != null, Duration.ofMinutes(3), name + "'s first batch");
      long cpuBefore = CpuClock.processCpuNanos();
      Process generator = generator(topic, rate, inputSeconds, name);
      if (!generator.waitFor(inputSeconds + 120L, TimeUnit.SECONDS)) {
        generator.destroy();
        throw new IllegalStateException("The generator did not finish within its duration");
      }
      if (generator.exitValue() != 0) {
        throw new IllegalStateException(
            "The generator failed (exit " + generator.exitValue() + "): see " + log(name));
      }
      long sent = topics.endOffsetSum(topic);
      Await.until(
          () -> read(reports) >= sent,
          Duration.ofSeconds(2L * trigger + 180),
          name + " to commit all " + sent + " records");
      long cpuNanos = CpuClock.processCpuNanos() - cpuBefore;
      query.stop();
      double[] latencies = latenciesMs(config, committedAt);
      if (latencies.length == 0) {
        throw new MissingBoundException(name + " committed no events");
      }
      Point p =
          new Point(
              trigger,
              Stats.percentile(latencies, 50) / 1000,
              Stats.percentile(latencies, 99) / 1000,
              cpuNanos / 1e9 / sent * 1e6);
      LOG.info(
          "trigger {} s at {} events/s: {} records, {} events, latency p50 {} s, p99 {} s, {} CPU-s per million",
          trigger,
          Math.round(rate),
          sent,
          latencies.length,
          String.format(Locale.ROOT, "%.2f", p.p50Seconds()),
          String.format(Locale.ROOT, "%.2f", p.p99Seconds()),
          String.format(Locale.ROOT, "%.1f", p.cpuPerMillion()));
      return p;
    } finally {
      query.stop();
    }
  }

  private static long read(List<BatchReport> reports) {
    synchronized (reports) {
      return reports.stream().mapToLong(r -> r.counts().read()).sum();
    }
  }

  private double[] latenciesMs(PipelineConfig config, Map<Long, Long> committedAt) {
    List<Row> rows =
        spark
            .table(config.iceberg().catalogName() + "." + config.iceberg().namespace() + ".events")
            .select("batch_id", "kafka_timestamp")
            .collectAsList();
    return rows.stream()
        .mapToDouble(
            r -> {
              Long committed = committedAt.get(r.getLong(0));
              if (committed == null) {
                throw new IllegalStateException("No commit time for batch " + r.getLong(0));
              }
              return committed - ((Timestamp) r.get(1)).getTime();
            })
        .toArray();
  }

  private Path log(String name) {
    return settings.workDir().resolve(name + "-generator.log");
  }

  /** The project's generator, paced at {@code rate}, in a JVM of its own. */
  private Process generator(String topic, double rate, int seconds, String name) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        List.of(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            "io.webtraffic.cli.PipelineCli",
            "generate",
            "--bootstrap-servers",
            jobs.bootstrapServers(),
            "--topic",
            topic,
            "--rate",
            String.format(Locale.ROOT, "%.0f", rate),
            "--duration",
            seconds + "s");
    Files.createDirectories(settings.workDir());
    File logFile = log(name).toFile();
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile).start();
  }
}
