package io.webtraffic.bench;

import io.webtraffic.bench.BenchJobs.Stage;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.job.BatchReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * The fixed cost of a micro-batch: a topic of a few records per batch drained with availableNow and
 * maxOffsetsPerTrigger, each batch's time split by phase. Spark's phases come from the query
 * progress; the job's own phases inside foreachBatch from its batch reports.
 */
final class OverheadBench {
  static final String SECTION = "Per-batch overhead at a trickle (median over batches, ms)";
  static final String FULL_TOTAL = "full pipeline: whole batch";
  private static final long RUN_TIMEOUT_MINUTES = 10;

  private final BenchJobs jobs;
  private final BenchSettings settings;

  OverheadBench(BenchJobs jobs, BenchSettings settings) {
    this.jobs = jobs;
    this.settings = settings;
  }

  void run(String topic, ResultTable table) throws Exception {
    for (Stage stage : List.of(Stage.READ_ONLY, Stage.DEDUP, Stage.FULL)) {
      String name = "bench_trickle_" + stage.name().toLowerCase();
      PipelineConfig config =
          jobs.config(
              name,
              topic,
              Map.of("kafka.max-offsets-per-trigger", String.valueOf(settings.trickleRecords())));
      List<BatchReport> reports = Collections.synchronizedList(new ArrayList<>());
      StreamingQuery query = jobs.start(stage, config, reports::add);
      if (!query.awaitTermination(TimeUnit.MINUTES.toMillis(RUN_TIMEOUT_MINUTES))) {
        query.stop();
        throw new IllegalStateException(stage.label + " at a trickle did not finish in time");
      }
      List<StreamingQueryProgress> batches = new Progress(query).dataBatches();
      if (batches.size() < 2) {
        throw new MissingBoundException(
            stage.label + " at a trickle ran " + batches.size() + " data batches, expected more");
      }
      String prefix = shortName(stage) + ": ";
      Map<String, ToLongFunction<StreamingQueryProgress>> phases = new LinkedHashMap<>();
      phases.put("whole batch", p -> Progress.phase(p, "triggerExecution"));
      phases.put("latest offsets", p -> Progress.phase(p, "latestOffset"));
      phases.put("planning", p -> Progress.phase(p, "queryPlanning"));
      phases.put("offset log", p -> Progress.phase(p, "walCommit"));
      phases.put("execution (addBatch)", p -> Progress.phase(p, "addBatch"));
      phases.put("commit log", p -> Progress.phase(p, "commitOffsets"));
      if (stage != Stage.READ_ONLY) {
        phases.put("state commit", Progress::stateCommitMillis);
      }
      phases.forEach(
          (phase, f) ->
              table.add(
                  new Measurement(
                      SECTION,
                      prefix + phase,
                      "ms",
                      batches.stream().map(p -> (double) f.applyAsLong(p)).toList())));
      if (stage == Stage.FULL) {
        List<BatchReport> data = reports.stream().filter(r -> r.counts().read() > 0).toList();
        Map<String, ToLongFunction<BatchReport>> sinks = new LinkedHashMap<>();
        sinks.put("run and summarize", r -> r.phases().classifyMs());
        sinks.put("Iceberg commit", r -> r.phases().icebergMs());
        sinks.put("quality gates and window totals", r -> r.phases().windowsMs());
        sinks.put("PostgreSQL commit", r -> r.phases().postgresMs());
        sinks.forEach(
            (phase, f) ->
                table.add(
                    new Measurement(
                        SECTION,
                        prefix + phase,
                        "ms",
                        data.stream().map(r -> (double) f.applyAsLong(r)).toList())));
      }
    }
    table.atMost("full pipeline per-batch overhead (both sinks)", FULL_TOTAL, 300);
  }

  private static String shortName(Stage stage) {
    return switch (stage) {
      case READ_ONLY -> "read-only";
      case PARSE -> "parse";
      case DEDUP -> "up to dedup";
      case FULL -> "full pipeline";
    };
  }
}
