package io.webtraffic.job;

import io.webtraffic.config.FaultPoint;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.config.PipelineConfig.IcebergSettings;
import io.webtraffic.fs.NioLocalFileSystem;
import io.webtraffic.fs.NioLocalFs;
import io.webtraffic.ops.FaultInjection;
import io.webtraffic.ops.HaltingStateStoreProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session the job and the sql command share: Iceberg catalog, state store, partitions.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession create(PipelineConfig config) {
    SparkConf conf = new SparkConf(true);
    // spark-submit sets the master; only a local launch takes it from the configuration.
    if (!conf.contains("spark.master")) {
      conf.setMaster(config.spark().master());
    }
    if (conf.get("spark.master").startsWith("local")) {
      // Checkpoint, state and (Hadoop catalog) Iceberg files on the local disk, written without
      // starting a chmod or readlink process per file.
      conf.set("spark.hadoop.fs.file.impl", NioLocalFileSystem.class.getName())
          .set("spark.hadoop.fs.AbstractFileSystem.file.impl", NioLocalFs.class.getName());
    }
    conf.setAppName(config.jobName())
        .set("spark.sql.session.timeZone", "UTC")
        .set("spark.sql.shuffle.partitions", String.valueOf(config.spark().shufflePartitions()))
        .set("spark.ui.enabled", String.valueOf(config.spark().uiEnabled()))
        .set("spark.ui.port", String.valueOf(config.spark().uiPort()))
        .set("spark.sql.streaming.stateStore.providerClass", stateStoreProvider(config))
        .set("spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled", "true")
        // One stateful operator (the deduplication) and one global watermark. The multi-operator
        // propagator derives each operator's watermark from the plan below it, and cannot see
        // through the exchange the job's two branches share: it would leave the deduplication at
        // watermark 0 (nothing late, no state evicted).
        .set("spark.sql.streaming.statefulOperator.allowMultiple", "false")
        // Each batch plans its foreachBatch queries anew; with Spark's default of 100 cached
        // classes they evict each other and about 40 are compiled again every batch.
        .set("spark.sql.codegen.cache.maxEntries", "1000")
        // HotSpot never compiles a method over 8,000 bytes of bytecode (HugeMethodLimit). The
        // window operator's output serializer (the whole event struct in one method) was such a
        // method and ran interpreted in every batch; with Spark's limit at the JVM's, that stage
        // runs its operators one by one instead, each in compiled code.
        .set("spark.sql.codegen.hugeMethodLimit", "8000")
        // The batch keeps one copy of its outcomes while it commits (MicroBatch), read back whole
        // two or three times: kept as rows, not as (compressed) column batches.
        .set("spark.sql.cache.serializer", RowBatchSerializer.class.getName())
        .set(
            "spark.sql.extensions",
            "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
    config
        .faultInjection()
        .haltAt()
        .ifPresent(
            point -> {
              conf.set(FaultInjection.HALT_AT, point)
                  .set(FaultInjection.BATCH, String.valueOf(config.faultInjection().batch()));
              if (FaultPoint.fromConfigName(point) == FaultPoint.STATE_STORE_COMMIT) {
                conf.set(
                    "spark.sql.streaming.stateStore.providerClass",
                    HaltingStateStoreProvider.class.getName());
              }
            });
    if (config.spark().metricsEnabled()) {
      metrics(conf);
    }
    catalogSettings(config).forEach(conf::set);
    config.s3().hadoopSettings().forEach((key, value) -> conf.set("spark.hadoop." + key, value));
    config.spark().extra().forEach(conf::set);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /**
   * Spark's metrics system: the streaming query's own metrics source, and Prometheus text on the UI
   * for the driver ({@value #PROMETHEUS_PATH}) and the executors (/metrics/executors/prometheus).
   */
  private static void metrics(SparkConf conf) {
    conf.set("spark.sql.streaming.metricsEnabled", "true")
        .set("spark.ui.prometheus.enabled", "true")
        .set(
            "spark.metrics.conf.*.sink.prometheusServlet.class",
            "org.apache.spark.metrics.sink.PrometheusServlet")
        .set("spark.metrics.conf.*.sink.prometheusServlet.path", PROMETHEUS_PATH)
        // Without a namespace, metric names carry the random application id.
        .set("spark.metrics.namespace", "${spark.app.name}");
  }

  /** The driver's metrics in Prometheus text format, under the Spark UI. */
  public static final String PROMETHEUS_PATH = "/metrics/prometheus";

  private static String stateStoreProvider(PipelineConfig config) {
    return config.spark().stateStore().equals("rocksdb")
        ? "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider"
        : "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider";
  }

  /**
   * The Spark settings of the job's Iceberg catalog. The JDBC catalog keeps its tables in the
   * database of its URI (by default the job's PostgreSQL), logging in as the PostgreSQL user.
   */
  public static Map<String, String> catalogSettings(PipelineConfig config) {
    IcebergSettings iceberg = config.iceberg();
    String prefix = "spark.sql.catalog." + iceberg.catalogName();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(prefix, "org.apache.iceberg.spark.SparkCatalog");
    settings.put(prefix + ".type", iceberg.catalogType());
    if (!iceberg.warehouse().isEmpty()) {
      settings.put(prefix + ".warehouse", iceberg.warehouse());
    }
    if (!iceberg.ioImpl().isEmpty()) {
      settings.put(prefix + ".io-impl", iceberg.ioImpl());
    }
    // A cached table would hide the commits foreachBatch has just made from the driver's reads.
    settings.put(prefix + ".cache-enabled", "false");
    if (!iceberg.catalogUri().isEmpty()) {
      settings.put(prefix + ".uri", iceberg.catalogUri());
    }
    if (iceberg.catalogType().equals("jdbc")) {
      settings.put(prefix + ".jdbc.user", config.postgres().user());
      config
          .postgres()
          .password()
          .ifPresent(p -> settings.put(prefix + ".jdbc.password", p.value()));
      // V1 also records views; the catalog creates its two tables on first use.
      settings.put(prefix + ".jdbc.schema-version", "V1");
    }
    if (iceberg.catalogType().equals("rest")) {
      iceberg.restCredential().ifPresent(c -> settings.put(prefix + ".credential", c.value()));
      iceberg.restToken().ifPresent(t -> settings.put(prefix + ".token", t.value()));
    }
    return settings;
  }
}
