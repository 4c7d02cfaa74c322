package io.webtraffic.bench;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.job.SparkSessions;
import io.webtraffic.local.StackEndpoints;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark (scripts/bench starts the embedded stack and runs this): throughput of each stage
 * against the read-only bound, per-batch overhead, PostgreSQL upsert against COPY, latency and cost
 * against the trigger interval, and dedup state at scale. Writes bench/results.md and
 * bench/results.png; exits 1 when a bound is missing or measured nothing.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run the benchmark against a running stack and write results.md + results.png.")
public final class Bench implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Bench.class);
  private static final long WARM_UP_RECORDS = 10_000;
  static final Set<String> CASES = Set.of("throughput", "overhead", "upsert", "curve", "state");

  @Option(names = "--stack-env", required = true, description = "The stack's stack.env file.")
  Path stackEnv;

  @Option(names = "--quick", description = "A short smoke run (about 5 minutes).")
  boolean quick;

  @Option(names = "--runs", description = "Runs of each repeated case (default 3, quick 2).")
  Integer runs;

  @Option(names = "--events", description = "Records preloaded for the throughput cases.")
  Long events;

  @Option(
      names = "--rate",
      description = "Input events/s of the trigger curve (default: half the full pipeline's rate).")
  Double rate;

  @Option(
      names = "--cases",
      split = ",",
      description = "Cases to run (default all): throughput, overhead, upsert, curve, state.")
  List<String> cases = List.of("throughput", "overhead", "upsert", "curve", "state");

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "A job setting for every case, as run --set takes it (e.g. spark.shuffle-partitions=2):"
              + " to measure what a tuning moves.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--compare",
      paramLabel = "KEY=VALUE",
      description =
          "Also run the parse, dedup and full throughput cases with this job setting, interleaved"
              + " with the runs without it, and report the ratios: a tuning measured in one run.")
  Map<String, String> compare = new LinkedHashMap<>();

  @Option(names = "--out", description = "Where results.md and results.png go (default: bench).")
  Path out = Path.of("bench");

  @Option(names = "--work", description = "Checkpoints and logs (default: target/bench).")
  Path work = Path.of("target/bench");

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(new CommandLine(new Bench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    for (String c : cases) {
      if (!CASES.contains(c)) {
        System.err.println("Unknown case '" + c + "' (allowed: " + CASES + ")");
        return 2;
      }
    }
    BenchSettings s =
        quick
            ? BenchSettings.quick(work.toAbsolutePath(), out)
            : BenchSettings.standard(work.toAbsolutePath(), out);
    if (runs != null) {
      s = s.withRuns(runs);
    }
    if (events != null) {
      s = s.withEvents(events);
    }
    if (rate != null) {
      s = s.withRate(rate);
    }
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    StackEndpoints stack = StackEndpoints.readEnvFile(stackEnv);
    Files.createDirectories(s.workDir());
    Files.createDirectories(out);
    ResultTable table = new ResultTable();
    List<TriggerCurve.Point> curve = List.of();
    try (Topics topics = new Topics(stack.bootstrapServers())) {
      BenchJobs jobs0 = new BenchJobs(null, stack, s.workDir(), settings);
      PipelineConfig base = jobs0.config("bench", "bench-events", Map.of());
      SparkSession spark = SparkSessions.create(base);
      spark.conf().set("spark.sql.streaming.numRecentProgressUpdates", "1000");
      BenchJobs jobs = new BenchJobs(spark, stack, s.workDir(), settings);
      try {
        String topic = "bench-events";
        LOG.info("Preloading {} records into {}", s.events(), topic);
        topics.preload(topic, s.events());
        if (cases.contains("throughput")) {
          // The first queries of a JVM run on cold code: warm every stage up on a small topic.
          String warmUp = "bench-warm-up";
          topics.preload(warmUp, Math.min(s.events(), WARM_UP_RECORDS));
          new ThroughputBench(
                  jobs, s.withRuns(1).withEvents(Math.min(s.events(), WARM_UP_RECORDS)), Map.of())
              .run(warmUp, new ResultTable(), "warm_up_");
          new ThroughputBench(jobs, s, compare).run(topic, table, "");
          ThroughputBench.ratios(table);
        }
        if (cases.contains("overhead")) {
          String trickle = "bench-trickle";
          topics.preload(trickle, (long) s.trickleBatches() * s.trickleRecords());
          new OverheadBench(jobs, s).run(trickle, table);
        }
        if (cases.contains("upsert")) {
          new UpsertBench(jobs, s).run(table);
        }
        if (cases.contains("curve")) {
          double r = s.rate() > 0 ? s.rate() : sustainableHalf(table);
          curve = new TriggerCurve(spark, jobs, s, topics).run(r, table);
        }
        if (cases.contains("state")) {
          new StateBench(spark, jobs, s).run(topic, table);
        }
      } finally {
        spark.stop();
      }
    } catch (MissingBoundException e) {
      System.err.println("Benchmark failed: " + e.getMessage());
      return 1;
    }
    double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    String header = header(s, started, loadBefore, loadAfter, settings);
    Files.writeString(out.resolve("results.md"), header + table.markdown());
    Map<String, Double> stageRatios = new LinkedHashMap<>();
    for (BenchJobs.Stage st : BenchJobs.Stage.values()) {
      table.get(ThroughputBench.rateName(st)).ifPresent(m -> stageRatios.put(st.label, 0.0));
    }
    if (!stageRatios.isEmpty()) {
      double bound =
          table.get(ThroughputBench.rateName(BenchJobs.Stage.READ_ONLY)).orElseThrow().median();
      for (BenchJobs.Stage st : BenchJobs.Stage.values()) {
        stageRatios.put(
            st.label, table.get(ThroughputBench.rateName(st)).orElseThrow().median() / bound);
      }
    }
    BenchChart.write(
        stageRatios,
        curve,
        String.format(
            Locale.ROOT,
            "%s, %d cores, load average %.1f → %.1f",
            started,
            Runtime.getRuntime().availableProcessors(),
            loadBefore,
            loadAfter),
        out.resolve("results.png"));
    System.out.println(header + table.markdown());
    System.out.println("Wrote " + out.resolve("results.md") + " and " + out.resolve("results.png"));
    return 0;
  }

  /** Half the full pipeline's median rate in this run: the input rate of the trigger curve. */
  static double sustainableHalf(ResultTable table) {
    Measurement full =
        table
            .get(ThroughputBench.rateName(BenchJobs.Stage.FULL))
            .orElseThrow(
                () ->
                    new MissingBoundException(
                        "The trigger curve needs the full pipeline's throughput (run the"
                            + " throughput case or pass --rate)"));
    return full.median() / 2;
  }

  private static String header(
      BenchSettings s,
      Instant started,
      double loadBefore,
      double loadAfter,
      Map<String, String> settings) {
    long memGb =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize()
            >> 30;
    return String.format(
        Locale.ROOT,
        "## Benchmark results%n%n"
            + "Run %s on %s (%s), %d cores, %d GB RAM, Java %s; one JVM for the job (local[2],"
            + " -Xmx from PIPELINE_JAVA_OPTS), Kafka and PostgreSQL embedded in their own processes."
            + " System load average %.1f at start, %.1f at the end (above the core count means"
            + " other work shared the machine: compare the ratios, not the absolute numbers).%n%n"
            + "Settings: %d runs per repeated case, %d records preloaded (batches of %d), trickle"
            + " %d batches × %d records, %d PostgreSQL rows, triggers %s s with input for %s s;"
            + " job settings: %s.%n",
        started,
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors(),
        memGb,
        System.getProperty("java.version"),
        loadBefore,
        loadAfter,
        s.runs(),
        s.events(),
        s.batchRecords(),
        s.trickleBatches(),
        s.trickleRecords(),
        s.upsertRows(),
        s.triggerSeconds(),
        s.inputSeconds(),
        settings.isEmpty() ? "the shipped defaults" : "defaults with " + settings);
  }
}
