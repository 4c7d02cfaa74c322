package io.webtraffic.ops;

import io.webtraffic.config.PipelineConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.execution.streaming.CheckpointFileManager;

/**
 * Files in and next to a checkpoint location (local, HDFS or an object store), reached through the
 * Hadoop file system with the configuration Spark would give the job, but without starting Spark:
 * the operator commands read a few small files and should answer in a second.
 */
public final class CheckpointFiles {
  private final Path root;
  private final Configuration hadoop;
  private final FileSystem fs;

  private CheckpointFiles(Path root, Configuration hadoop) {
    this.root = root;
    this.hadoop = hadoop;
    try {
      this.fs = root.getFileSystem(hadoop);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the file system of " + root, e);
    }
  }

  /** The job's checkpoint location; {@code spark.hadoop.*} settings apply as they do in Spark. */
  public static CheckpointFiles of(PipelineConfig config) {
    return of(config.checkpointLocation(), config);
  }

  static CheckpointFiles of(String location, PipelineConfig config) {
    SparkConf conf = new SparkConf(true);
    config.s3().hadoopSettings().forEach((key, value) -> conf.set("spark.hadoop." + key, value));
    config.spark().extra().forEach(conf::set);
    return new CheckpointFiles(new Path(location), SparkHadoopUtil.get().newConfiguration(conf));
  }

  public String location() {
    return root.toString();
  }

  public boolean exists() {
    return exists(root);
  }

  /** A file or folder next to the checkpoint (same parent), reached with the same settings. */
  public CheckpointFiles sibling(String name) {
    return new CheckpointFiles(new Path(root.getParent(), name), hadoop);
  }

  /** Batch ids in one of the checkpoint's logs ({@code offsets}, {@code commits}), ascending. */
  long[] batchIds(String log) {
    Path dir = new Path(root, log);
    if (!exists(dir)) {
      return new long[0];
    }
    try {
      return Arrays.stream(fs.listStatus(dir))
          .map(s -> s.getPath().getName())
          .filter(name -> name.matches("\\d+"))
          .mapToLong(Long::parseLong)
          .sorted()
          .toArray();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir, e);
    }
  }

  OptionalLong lastBatchId(String log) {
    long[] ids = batchIds(log);
    return ids.length == 0 ? OptionalLong.empty() : OptionalLong.of(ids[ids.length - 1]);
  }

  boolean exists(String relative) {
    return exists(new Path(root, relative));
  }

  List<String> readLines(String relative) {
    Path file = new Path(root, relative);
    try (var in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  long modifiedMs(String relative) {
    Path file = new Path(root, relative);
    try {
      FileStatus status = fs.getFileStatus(file);
      return status.getModificationTime();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  /** Replaces this file so that a reader sees the old content or the new, never half of it. */
  void write(String content) {
    write(root, content);
  }

  /** Replaces a file in this folder, atomically. */
  void write(String relative, String content) {
    write(new Path(root, relative), content);
  }

  private void write(Path file, String content) {
    CheckpointFileManager manager = CheckpointFileManager.create(file.getParent(), hadoop);
    try {
      manager.mkdirs(file.getParent());
      try (OutputStream out = manager.createAtomic(file, true)) {
        out.write(content.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  void mkdirs() {
    try {
      fs.mkdirs(root);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + root, e);
    }
  }

  /** Renames the whole location; refuses to overwrite anything at the target. */
  void renameTo(CheckpointFiles target) {
    try {
      if (fs.exists(target.root) || !fs.rename(root, target.root)) {
        throw new IOException("the target exists or the file system refused the rename");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot move " + root + " to " + target.root + ": " + e.getMessage(), e);
    }
  }

  private boolean exists(Path path) {
    try {
      return fs.exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }
}
