package io.webtraffic.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.batch.BatchCounts;
import io.webtraffic.batch.Watermarks;
import io.webtraffic.config.ConfigLoader;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.enrich.Dimensions;
import io.webtraffic.enrich.IpRanges;
import io.webtraffic.sink.WindowRows;
import io.webtraffic.testing.TestEvents;
import io.webtraffic.testing.TestPipeline.Message;
import io.webtraffic.testing.TestSpark;
import io.webtraffic.transform.Outcomes;
import io.webtraffic.window.HitBuckets;
import io.webtraffic.window.TimeWindows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.codegen.ByteCodeStats;
import org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.streaming.MemoryStream;
import org.apache.spark.sql.execution.streaming.StreamingQueryWrapper;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.JavaConverters;

/**
 * The batch logic without the embedded stack: the job's real streaming half ({@link
 * PipelineJob#streamingHalf}) reads Kafka-shaped records from Spark's in-memory stream, and each
 * micro-batch goes through the batch half's classification, accounting and windows ({@link
 * Outcomes}, {@link BatchSummary}, {@link WindowRows}) with its watermark from the checkpoint.
 *
 * <p>One stream, three steps, each run until the stream is idle (its data batch, then the no-data
 * batch Spark runs when the watermark moved). Watermark delay 2 minutes, session gap 5 minutes,
 * count windows of 2 events per host, flushed after 5 quiet minutes. Times on 2026-11-20, UTC.
 *
 * <ol>
 *   <li>10:03, 10:01, 10:02 of one visitor, out of order; a re-send of 10:02; one malformed record.
 *       Watermark afterwards 10:01.
 *   <li>10:20 of another visitor on another host, far ahead; a re-send of 10:03, still within the
 *       watermark. Watermark afterwards 10:18: the first visitor's session (end 10:08) closes.
 *   <li>10:10 of the first visitor, behind the watermark; 10:21 of the second.
 * </ol>
 */
class BatchLogicStreamTest {
  static final String IP_1 = "203.0.113.1";
  static final String IP_2 = "203.0.113.2";
  static final String HOST_A = "a.example.org";
  static final String HOST_B = "b.example.org";

  static final StructType KAFKA =
      new StructType()
          .add("key", DataTypes.BinaryType)
          .add("value", DataTypes.BinaryType)
          .add("topic", DataTypes.StringType)
          .add("partition", DataTypes.IntegerType)
          .add("offset", DataTypes.LongType)
          .add("timestamp", DataTypes.TimestampType);

  /** What the batch half made of one micro-batch. */
  record Batch(long id, Watermarks watermarks, BatchCounts counts, WindowRows windows) {}

  record Session(
      String ip,
      String host,
      Instant start,
      Instant end,
      Instant last,
      long events,
      String status) {}

  record CountWindow(String key, Instant start, Instant end, long events, String closedBy) {}

  static final List<Batch> batches = Collections.synchronizedList(new ArrayList<>());
  static MemoryStream<Row> kafka;
  static StreamingQuery query;
  static long nextOffset;

  /**
   * The largest generated method of each whole-stage-codegen stage, by stage id: of the streaming
   * half, and of the first batch's outcomes on top of it (which Spark numbers anew).
   */
  static final Map<Integer, Integer> streamingStages = new TreeMap<>();

  static final Map<Integer, Integer> batchStages = new TreeMap<>();

  static List<Batch> first;
  static List<Batch> second;
  static List<Batch> third;

  @BeforeAll
  static void runTheStream(@TempDir Path dir) throws Exception {
    SparkSession spark = TestSpark.session();
    PipelineConfig config =
        ConfigLoader.load(
            Optional.empty(),
            Map.of(),
            Map.of(
                "job-name", "batch-logic-stream",
                "checkpoint-location", dir.resolve("checkpoint").toString(),
                "event-time.watermark-delay", "2 minutes",
                "windows.session-gap", "5 minutes",
                "windows.count-size", "2",
                "windows.count-flush-after", "5 minutes",
                "spark.shuffle-partitions", "2"),
            dir);
    List<String> required = config.quality().requiredFields();
    HitBuckets hitBuckets =
        new HitBuckets(
            TimeWindows.tumbling(config.windows().tumblingSize()),
            TimeWindows.sliding(config.windows().slidingSize(), config.windows().slidingSlide()));
    Dimensions noDimensions = new Dimensions(IpRanges.of(List.of()), Map.of(), "none");

    kafka = MemoryStream.apply(Encoders.row(KAFKA), spark.sqlContext());
    query =
        PipelineJob.streamingHalf(config, kafka.toDF())
            .writeStream()
            .option("checkpointLocation", config.checkpointLocation())
            .foreachBatch(
                (VoidFunction2<Dataset<Row>, Long>)
                    (batch, batchId) -> {
                      Watermarks watermarks =
                          Watermarks.forBatch(spark, config.checkpointLocation(), batchId);
                      if (batchId == 0) {
                        largestMethods(
                            Outcomes.apply(batch, watermarks.lateThresholdMs(), required)
                                .queryExecution()
                                .executedPlan(),
                            batchStages);
                      }
                      Dataset<Row> outcomes =
                          Outcomes.apply(batch, watermarks.lateThresholdMs(), required)
                              .persist(MicroBatch.KEPT_COPY);
                      BatchSummary summary = BatchSummary.of(outcomes, required, hitBuckets);
                      WindowRows windows =
                          WindowRows.of(summary.sessions(), summary.countWindows(), noDimensions);
                      outcomes.unpersist();
                      batches.add(new Batch(batchId, watermarks, summary.counts(), windows));
                    })
            .start();

    Message at1003 = visit(IP_1, HOST_A, "10:03:00", "/c");
    Message at1002 = visit(IP_1, HOST_A, "10:02:00", "/b");
    first =
        step(at1003, visit(IP_1, HOST_A, "10:01:00", "/a"), at1002, at1002, malformed("10:04:00"));
    largestMethods(
        ((StreamingQueryWrapper) query).streamingQuery().lastExecution().executedPlan(),
        streamingStages);
    second = step(visit(IP_2, HOST_B, "10:20:00", "/x"), at1003);
    third = step(visit(IP_1, HOST_A, "10:10:00", "/d"), visit(IP_2, HOST_B, "10:21:00", "/y"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (query != null) {
      query.stop();
    }
  }

  @Test
  void disorderedEventsAreEachCountedOnceTheResendAsDuplicateTheMalformedRecordAsDead() {
    assertEquals(
        new BatchCounts(5, 3, 1, 0, 1, 0, Map.of("malformed_json", 1L), Map.of(), 0),
        dataBatch(first).counts());
  }

  @Test
  void disorderedEventsMakeOneOpenSessionFromTheEarliestToTheLatestPlusTheGap() {
    assertEquals(
        List.of(
            new Session(IP_1, HOST_A, at("10:01:00"), at("10:08:00"), at("10:03:00"), 3, "open")),
        sessions(first));
  }

  @Test
  void aResendInALaterBatchWithinTheWatermarkIsADuplicate() {
    Batch batch = dataBatch(second);

    assertEquals(at("10:01:00").toEpochMilli(), batch.watermarks().lateThresholdMs(), "10:03 - 2");
    assertEquals(new BatchCounts(2, 1, 1, 0, 0, 0, Map.of(), Map.of(), 0), batch.counts());
  }

  @Test
  void aSessionClosesOnceTheWatermarkPassesItsEnd() {
    assertEquals(
        sorted(
            List.of(
                new Session(
                    IP_2, HOST_B, at("10:20:00"), at("10:25:00"), at("10:20:00"), 1, "open"),
                new Session(
                    IP_1, HOST_A, at("10:01:00"), at("10:08:00"), at("10:03:00"), 3, "closed"))),
        sessions(second),
        "watermark 10:18 is past the end 10:08");
  }

  @Test
  void anEventBehindTheWatermarkIsLateNotAnEventAndReopensNothing() {
    Batch batch = dataBatch(third);

    assertEquals(at("10:18:00").toEpochMilli(), batch.watermarks().lateThresholdMs(), "10:20 - 2");
    assertEquals(new BatchCounts(2, 1, 0, 1, 0, 0, Map.of(), Map.of(), 0), batch.counts());
    assertEquals(
        List.of(
            new Session(IP_2, HOST_B, at("10:20:00"), at("10:26:00"), at("10:21:00"), 2, "open")),
        sessions(third),
        "only the second visitor's session changed");
  }

  @Test
  void everyTwoEventsOfAHostMakeACountWindowAndAQuietHostsRestIsFlushed() {
    assertEquals(
        List.of(new CountWindow(HOST_A, at("10:01:00"), at("10:02:00"), 2, "count")),
        countWindows(first),
        "10:03 waits for a second event");
    assertEquals(
        List.of(new CountWindow(HOST_A, at("10:03:00"), at("10:03:00"), 1, "timeout")),
        countWindows(second),
        "watermark 10:18 is past 10:03 + 5 min; 10:20 on host b waits");
    assertEquals(
        List.of(new CountWindow(HOST_B, at("10:20:00"), at("10:21:00"), 2, "count")),
        countWindows(third));
  }

  @Test
  void everyBatchReadsExactlyItsEventsDuplicatesLateDeadAndFilteredRecords() {
    assertEquals(
        List.of(5L, 2L, 2L),
        List.of(first, second, third).stream().map(s -> dataBatch(s).counts().read()).toList());
    for (Batch b : batches) {
      BatchCounts c = b.counts();
      assertEquals(
          c.read(),
          c.events() + c.duplicates() + c.late() + c.dead() + c.filtered(),
          "batch " + b.id() + ": " + c);
      assertEquals(0, c.keptButLate(), "batch " + b.id() + ": " + c);
    }
  }

  /**
   * HotSpot leaves a method of more bytecode than this to the interpreter ({@code
   * -XX:HugeMethodLimit}, {@code -XX:+DontCompileHugeMethods}): a stage whose generated code holds
   * one must not run as generated code, or it runs interpreted in every batch.
   */
  static final int HOTSPOT_HUGE_METHOD_LIMIT = 8000;

  @Test
  void everyStageThatRunsAsGeneratedCodeIsOneTheJitCompiles() {
    int sparkLimit =
        Integer.parseInt(TestSpark.session().conf().get("spark.sql.codegen.hugeMethodLimit"));
    for (Map<Integer, Integer> plan : List.of(streamingStages, batchStages)) {
      assertFalse(plan.isEmpty(), "the plan has whole-stage-codegen stages");
      plan.forEach(
          (stage, bytes) ->
              assertTrue(
                  bytes <= HOTSPOT_HUGE_METHOD_LIMIT || bytes > sparkLimit,
                  "stage "
                      + stage
                      + " has a method of "
                      + bytes
                      + " bytes of bytecode: HotSpot will not compile it, and Spark (limit "
                      + sparkLimit
                      + ") runs it anyway; stages: "
                      + plan));
    }
  }

  /** Compiles each whole-stage-codegen stage of the plan (Spark caches the classes). */
  static void largestMethods(SparkPlan plan, Map<Integer, Integer> byStage) {
    if (plan instanceof WholeStageCodegenExec stage) {
      ByteCodeStats stats = CodeGenerator.compile(stage.doCodeGen()._2())._2();
      byStage.put(stage.codegenStageId(), stats.maxMethodCodeSize());
    }
    for (SparkPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      largestMethods(child, byStage);
    }
  }

  /** Sends the records as one Kafka poll would return them and runs the stream until it idles. */
  static List<Batch> step(Message... messages) {
    List<Row> rows = new ArrayList<>();
    for (Message m : messages) {
      rows.add(
          RowFactory.create(
              m.key(), m.value(), "web-events", 0, nextOffset++, new Timestamp(m.timestampMs())));
    }
    int before = batches.size();
    kafka.addData(JavaConverters.asScalaBuffer(rows).toSeq());
    query.processAllAvailable();
    return List.copyOf(batches.subList(before, batches.size()));
  }

  /** The step's one batch that read records; the others are Spark's no-data batches. */
  static Batch dataBatch(List<Batch> step) {
    List<Batch> withData = step.stream().filter(b -> b.counts().read() > 0).toList();
    assertEquals(1, withData.size(), "batches that read records: " + step);
    return withData.get(0);
  }

  static List<Session> sessions(List<Batch> step) {
    return sorted(
        step.stream()
            .flatMap(b -> b.windows().sessions().stream())
            .map(
                r ->
                    new Session(
                        r.getAs("ip"),
                        r.getAs("host"),
                        instant(r, "session_start"),
                        instant(r, "session_end"),
                        instant(r, "last_event_time"),
                        r.<Long>getAs("events"),
                        r.getAs("status")))
            .toList());
  }

  static List<CountWindow> countWindows(List<Batch> step) {
    return sorted(
        step.stream()
            .flatMap(b -> b.windows().countWindows().stream())
            .map(
                r ->
                    new CountWindow(
                        r.getAs("window_key"),
                        instant(r, "window_start"),
                        instant(r, "window_end"),
                        r.<Long>getAs("events"),
                        r.getAs("closed_by")))
            .toList());
  }

  static <T> List<T> sorted(List<T> rows) {
    return rows.stream().sorted(Comparator.comparing(Object::toString)).toList();
  }

  static Message visit(String ip, String host, String time, String url) {
    return TestEvents.event(ip, host, at(time), url, "Firefox");
  }

  static Message malformed(String arrival) {
    return new Message(
        null, "{\"url\": \"/a\"".getBytes(StandardCharsets.UTF_8), at(arrival).toEpochMilli());
  }

  static Instant at(String time) {
    return Instant.parse("2026-11-20T" + time + "Z");
  }

  static Instant instant(Row row, String field) {
    return row.<Timestamp>getAs(field).toInstant();
  }
}
