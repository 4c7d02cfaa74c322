package io.webtraffic.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.webtraffic.testing.TestSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.metrics.source.CodegenMetrics;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.catalyst.expressions.codegen.GenerateSafeProjection;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/**
 * Spark resolves the state encoder again for every batch's plan, and generates the state reader
 * from what it resolved: these tests do the same twice, and count what Spark compiles the second
 * time.
 */
class WindowStateEncoderTest {
  static {
    TestSpark.session();
  }

  /**
   * Classes compiled for the state reader of a second batch, the first batch's already compiled.
   */
  private static long compiledForSecondBatch(Encoder<WindowState> encoder) {
    generateReader(encoder);
    long before = CodegenMetrics.METRIC_COMPILATION_TIME().getCount();
    generateReader(encoder);
    return CodegenMetrics.METRIC_COMPILATION_TIME().getCount() - before;
  }

  /** What a batch's state manager does: resolve the encoder, generate its reader. */
  private static void generateReader(Encoder<WindowState> encoder) {
    ExpressionEncoder<WindowState> e = (ExpressionEncoder<WindowState>) encoder;
    ExpressionEncoder<WindowState> resolved =
        e.resolveAndBind(e.resolveAndBind$default$1(), e.resolveAndBind$default$2());
    GenerateSafeProjection.generate(
        JavaConverters.asScalaBuffer(List.of(resolved.objDeserializer())).toSeq());
  }

  @Test
  void theStateReaderOfALaterBatchIsTheCompiledOne() {
    assertEquals(0, compiledForSecondBatch(WindowState.encoder()));
  }

  @Test
  void aBeanEncoderResolvedPerBatchCompilesItsReaderEveryBatch() {
    // The control: its lists' loop variables are numbered anew at each resolution.
    assertNotEquals(0, compiledForSecondBatch(Encoders.bean(WindowState.class)));
  }

  @Test
  void theStateKeepsTheSchemaOfTheBeanEncoder() {
    // A checkpoint written before keeps its state: Spark checks the schema at restart.
    assertEquals(Encoders.bean(WindowState.class).schema(), WindowState.encoder().schema());
  }

  @Test
  void aStateReadBackIsTheStateWritten() {
    SessionState session = new SessionState();
    session.setId("s-1");
    session.setIp("203.0.113.1");
    session.setHost("a.example.org");
    session.setStartMs(1_000);
    session.setLastMs(61_000);
    session.setEvents(3);
    session.setUrls(new ArrayList<>(List.of("/a", "/b")));
    session.setUaFamily("Firefox");
    CountState count = new CountState();
    count.setWindowId("c-1");
    count.setKey("a.example.org");
    count.setEvents(2);
    count.setStartMs(1_000);
    count.setEndMs(31_000);
    WindowState state = new WindowState();
    state.setSessions(new ArrayList<>(List.of(session)));
    state.setCount(count);

    ExpressionEncoder<WindowState> encoder = (ExpressionEncoder<WindowState>) WindowState.encoder();
    WindowState back =
        encoder.createDeserializer().apply(encoder.createSerializer().apply(state).copy());

    assertEquals(1, back.getSessions().size());
    assertEquals(
        new SessionsTest.View(
            "s-1",
            "203.0.113.1",
            "a.example.org",
            1_000,
            61_000,
            3,
            List.of("/a", "/b"),
            "Firefox",
            null,
            null),
        SessionsTest.View.of(back.getSessions().get(0)));
    assertEquals(
        List.of("c-1", "a.example.org", 2L, 1_000L, 31_000L),
        List.of(
            back.getCount().getWindowId(),
            back.getCount().getKey(),
            back.getCount().getEvents(),
            back.getCount().getStartMs(),
            back.getCount().getEndMs()));
  }
}
