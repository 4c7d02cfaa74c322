package io.webtraffic.bench;

import io.webtraffic.bench.BenchJobs.Stage;
import io.webtraffic.config.PipelineConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events/s of each stage over the same preloaded topic, drained with availableNow. Runs are
 * interleaved (run 1 of every stage, then run 2...), so a burst of load on the shared machine hits
 * all stages rather than one. A compared setting runs the parse, dedup and full stages a second
 * time with it, interleaved too, so that what a tuning moves is measured within one run.
 */
final class ThroughputBench {
  static final String SECTION = "Throughput (events/s of trigger time, availableNow)";
  static final String CPU_SECTION = "CPU cost (CPU-seconds of the job per million records)";
  private static final Logger LOG = LoggerFactory.getLogger(ThroughputBench.class);
  private static final long RUN_TIMEOUT_MINUTES = 20;

  private final BenchJobs jobs;
  private final BenchSettings settings;
  private final Map<String, String> compare;

  ThroughputBench(BenchJobs jobs, BenchSettings settings, Map<String, String> compare) {
    this.jobs = jobs;
    this.settings = settings;
    this.compare = Map.copyOf(compare);
  }

  static String rateName(Stage stage) {
    return stage.label;
  }

  static String cpuName(Stage stage) {
    return stage.label + " CPU";
  }

  static String variant(String name, Map<String, String> compare) {
    return name + " with " + compare;
  }

  void run(String topic, ResultTable table, String prefix) throws Exception {
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    for (int run = 1; run <= settings.runs(); run++) {
      for (Stage stage : Stage.values()) {
        measure(topic, stage, run, prefix, Map.of(), rates, cpu);
        if (!compare.isEmpty() && stage != Stage.READ_ONLY) {
          measure(topic, stage, run, prefix + "cmp_", compare, rates, cpu);
        }
      }
    }
    rates.forEach((name, v) -> table.add(new Measurement(SECTION, name, "events/s", v)));
    cpu.forEach((name, v) -> table.add(new Measurement(CPU_SECTION, name, "CPU-s/M", v)));
    if (!compare.isEmpty()) {
      for (Stage stage : List.of(Stage.PARSE, Stage.DEDUP, Stage.FULL)) {
        table.ratio(
            variant(stage.label, compare) + " ÷ without",
            variant(rateName(stage), compare),
            rateName(stage),
            null);
        table.ratio(
            variant(stage.label, compare) + " ÷ without, per CPU-s",
            cpuName(stage),
            variant(cpuName(stage), compare),
            null);
      }
    }
  }

  private void measure(
      String topic,
      Stage stage,
      int run,
      String prefix,
      Map<String, String> overrides,
      Map<String, List<Double>> rates,
      Map<String, List<Double>> cpu)
      throws Exception {
    String name = "bench_" + prefix + stage.name().toLowerCase() + "_" + run;
    Map<String, String> extra = new HashMap<>(overrides);
    extra.put("kafka.max-offsets-per-trigger", String.valueOf(settings.batchRecords()));
    PipelineConfig config = jobs.config(name, topic, extra);
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
    String label = overrides.isEmpty() ? stage.label : variant(stage.label, overrides);
    LOG.info(
        "{} run {}: {} records in {} ms of triggers: {} events/s, {} CPU-s per million",
        label,
        run,
        progress.rowsRead(),
        progress.triggerMillis(),
        Math.round(perSecond),
        String.format("%.1f", cpuPerMillion));
    String rateKey = overrides.isEmpty() ? rateName(stage) : variant(rateName(stage), overrides);
    String cpuKey = overrides.isEmpty() ? cpuName(stage) : variant(cpuName(stage), overrides);
    rates.computeIfAbsent(rateKey, s -> new ArrayList<>()).add(perSecond);
    cpu.computeIfAbsent(cpuKey, s -> new ArrayList<>()).add(cpuPerMillion);
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
    // The same ratios per CPU-second (events per CPU-second of the stage over the bound's): on a
    // shared machine CPU time is less distorted by waiting for a core than wall time is.
    String boundCpu = cpuName(Stage.READ_ONLY);
    String parseCpu = cpuName(Stage.PARSE);
    table.ratio("parse and validate ÷ read-only, per CPU-s", boundCpu, parseCpu, 0.50);
    table.ratio("full pipeline ÷ read-only, per CPU-s", boundCpu, cpuName(Stage.FULL), 0.15);
    table.ratio("full pipeline ÷ parse-only, per CPU-s", parseCpu, cpuName(Stage.FULL), 0.40);
  }
}
