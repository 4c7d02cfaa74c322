package io.webtraffic.bench;

import io.webtraffic.bench.BenchJobs.Stage;
import io.webtraffic.config.PipelineConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deduplication with every key of the preloaded topic inside the watermark horizon (its event
 * times span a few minutes, the horizon is ten), in four batches, with the heap (HDFS-backed) state
 * store and with RocksDB: state memory from the progress, heap in use after the run, batch time.
 */
final class StateBench {
  static final String SECTION = "Dedup state at scale: heap (hdfs) vs RocksDB state store";
  private static final String PROVIDER = "spark.sql.streaming.stateStore.providerClass";
  private static final Map<String, String> PROVIDERS =
      Map.of(
          "hdfs", "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider",
          "rocksdb", "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider");
  private static final Logger LOG = LoggerFactory.getLogger(StateBench.class);

  private final SparkSession spark;
  private final BenchJobs jobs;
  private final BenchSettings settings;

  StateBench(SparkSession spark, BenchJobs jobs, BenchSettings settings) {
    this.spark = spark;
    this.jobs = jobs;
    this.settings = settings;
  }

  void run(String topic, ResultTable table) throws Exception {
    String original = spark.conf().get(PROVIDER);
    try {
      for (String store : List.of("hdfs", "rocksdb")) {
        List<Double> batchMs = new ArrayList<>();
        List<Double> rows = new ArrayList<>();
        List<Double> stateMb = new ArrayList<>();
        List<Double> heapMb = new ArrayList<>();
        for (int run = 1; run <= settings.runs(); run++) {
          spark.conf().set(PROVIDER, PROVIDERS.get(store));
          PipelineConfig config =
              jobs.config(
                  "bench_state_" + store + "_" + run,
                  topic,
                  Map.of(
                      "kafka.max-offsets-per-trigger",
                      String.valueOf(Math.max(1, settings.events() / 4))));
          StreamingQuery query = jobs.start(Stage.DEDUP, config, r -> {});
          if (!query.awaitTermination(TimeUnit.MINUTES.toMillis(20))) {
            query.stop();
            throw new IllegalStateException("The " + store + " state run did not finish");
          }
          heapMb.add(CpuClock.heapUsedAfterGc() / 1e6);
          List<StreamingQueryProgress> batches = new Progress(query).dataBatches();
          StreamingQueryProgress last = batches.get(batches.size() - 1);
          batchMs.add(
              Stats.median(
                  batches.stream().map(p -> Progress.phase(p, "triggerExecution")).toList()));
          rows.add((double) Progress.stateRows(last));
          stateMb.add(Progress.stateMemoryBytes(last) / 1e6);
          LOG.info(
              "{} state run {}: {} keys, {} MB state memory, {} MB heap after GC, median batch {} ms",
              store,
              run,
              Progress.stateRows(last),
              Math.round(stateMb.get(run - 1)),
              Math.round(heapMb.get(run - 1)),
              Math.round(batchMs.get(run - 1)));
        }
        table.add(new Measurement(SECTION, store + ": keys in state", "keys", rows));
        table.add(new Measurement(SECTION, store + ": state memory (progress)", "MB", stateMb));
        table.add(new Measurement(SECTION, store + ": heap used after run (GC'd)", "MB", heapMb));
        table.add(new Measurement(SECTION, store + ": batch time (median)", "ms", batchMs));
      }
    } finally {
      spark.conf().set(PROVIDER, original);
    }
  }
}
