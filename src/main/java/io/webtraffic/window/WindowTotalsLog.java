package io.webtraffic.window;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.execution.streaming.CheckpointFileManager;
import org.apache.spark.sql.execution.streaming.CheckpointFileManager$;

/**
 * The open windows' totals after each batch, one small JSON file per batch under {@code
 * <checkpoint>/window-totals}, written atomically as Spark writes its own offset log (local disk,
 * HDFS or an object store alike). Batch N reads N-1's file, so a replayed batch starts from exactly
 * what its first attempt started from.
 */
public final class WindowTotalsLog {
  /** Files older than this many batches are deleted, as Spark keeps its own logs. */
  static final int RETAINED = 100;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final CheckpointFileManager files;

  public WindowTotalsLog(String checkpointLocation, Configuration hadoop) {
    this.dir = new Path(checkpointLocation, "window-totals");
    this.files = CheckpointFileManager$.MODULE$.create(dir, hadoop);
  }

  /** The windows open after batch {@code batchId}, or empty when its file does not exist. */
  public Optional<WindowTotals.Open> read(long batchId) {
    Path file = new Path(dir, String.valueOf(batchId));
    try (InputStream in = files.open(file)) {
      return Optional.of(JSON.readValue(in, WindowTotals.Open.class));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes (or replaces) batch {@code batchId}'s file, and drops files long superseded. */
  public void write(long batchId, WindowTotals.Open open) {
    Path file = new Path(dir, String.valueOf(batchId));
    try {
      if (!files.exists(dir)) {
        files.mkdirs(dir);
      }
      FSDataOutputStream out = files.createAtomic(file, true);
      try {
        JSON.writeValue((java.io.OutputStream) out, open);
      } catch (IOException | RuntimeException e) {
        ((CheckpointFileManager.CancellableFSDataOutputStream) out).cancel();
        throw e;
      }
      out.close();
      Path old = new Path(dir, String.valueOf(batchId - RETAINED));
      if (batchId >= RETAINED && files.exists(old)) {
        files.delete(old);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
