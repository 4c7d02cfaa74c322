package io.webtraffic.bench;

import io.webtraffic.bench.BenchJobs.Stage;
import io.webtraffic.config.PipelineConfig;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events/s of each stage over the same preloaded topic, drained with availableNow. Runs are
 * interleaved (run 1 of every stage, then run 2...), so a burst of load on the shared machine hits
 * all stages rather than one.
 */
final class ThroughputBench {
  static final String SECTION = "Throughput (events/s of trigger time, availableNow)";
  static final String CPU_SECTION = "CPU cost (CPU-seconds of the job per million records)";
  private static final Logger LOG = LoggerFactory.getLogger(ThroughputBench.class);
  private static final long RUN_TIMEOUT_MINUTES = 20;

  private final BenchJobs jobs;
  private final BenchSettings settings;

  ThroughputBench(BenchJobs jobs, BenchSettings settings) {
    this.jobs = jobs;
    this.settings = settings;
  }

  static String rateName(Stage stage) {
    return stage.label;
  }

  static String cpuName(Stage stage) {
    return stage.label + " CPU";
  }

  void run(String topic, ResultTable table, String prefix) throws Exception {
    Map<Stage, List<Double>> rates = new EnumMap<>(Stage.class);
    Map<Stage, List<Double>> cpu = new EnumMap<>(Stage.class);
    for (int run = 1; run <= settings.runs(); run++) {
      for (Stage stage : Stage.values()) {
        String name = "bench_" + prefix + stage.name().toLowerCase() + "_" + run;
        PipelineConfig config =
            jobs.config(
                name,
                topic,
                Map.of("kafka.max-offsets-per-trigger", String.valueOf(settings.batchRecords())));
        long cpuBefore = CpuClock.processCpuNanos();
        StreamingQuery query = jobs.start(stage, config, report -> {});
        if (!query.awaitTermination(TimeUnit.MINUTES.toMillis(RUN_TIMEOUT_MINUTES))) {
          query.stop();
          throw new IllegalStateException(stage.label + " did not drain the topic in time");
        }
        long cpuNanos = CpuClock.processCpuNanos() - cpuBefore;
        Progress progress = new Progress(query);
        if (progress.rowsRead() != settings.events()) {
          throw new MissingBoundException(
              String.format(
                  "%s run %d read %d records, expected %d",
                  stage.label, run, progress.rowsRead(), settings.events()));
        }
        double perSecond = progress.eventsPerSecond();
        double cpuPerMillion = cpuNanos / 1e9 / progress.rowsRead() * 1e6;
        LOG.info(
            "{} run {}: {} records in {} ms of triggers: {} events/s, {} CPU-s per million",
            stage.label,
            run,
            progress.rowsRead(),
            progress.triggerMillis(),
            Math.round(perSecond),
            String.format("%.1f", cpuPerMillion));
        rates.computeIfAbsent(stage, s -> new ArrayList<>()).add(perSecond);
        cpu.computeIfAbsent(stage, s -> new ArrayList<>()).add(cpuPerMillion);
      }
    }
    for (Stage stage : Stage.values()) {
      table.add(new Measurement(SECTION, rateName(stage), "events/s", rates.get(stage)));
    }
    for (Stage stage : Stage.values()) {
      table.add(new Measurement(CPU_SECTION, cpuName(stage), "CPU-s/M", cpu.get(stage)));
    }
  }

  /** The targets as ratios of this run's medians. */
  static void ratios(ResultTable table) {
    String bound = rateName(Stage.READ_ONLY);
    String parse = rateName(Stage.PARSE);
    table.ratio("parse and validate ÷ read-only", parse, bound, 0.50);
    table.ratio("up to dedup ÷ read-only", rateName(Stage.DEDUP), bound, null);
    table.ratio("full pipeline ÷ read-only", rateName(Stage.FULL), bound, 0.15);
    table.ratio("up to dedup ÷ parse-only", rateName(Stage.DEDUP), parse, null);
    table.ratio("full pipeline ÷ parse-only", rateName(Stage.FULL), parse, 0.40);
  }
}
