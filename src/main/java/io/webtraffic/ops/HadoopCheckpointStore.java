package io.webtraffic.ops;

import io.webtraffic.config.PipelineConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.execution.streaming.CheckpointFileManager;

/**
 * A checkpoint on HDFS or an object store, reached through the Hadoop file system with the
 * configuration Spark would give the job ({@code spark.hadoop.*} settings apply), without starting
 * Spark.
 */
final class HadoopCheckpointStore implements CheckpointStore {
  private final Configuration hadoop;

  HadoopCheckpointStore(PipelineConfig config) {
    SparkConf conf = new SparkConf(true);
    config.s3().hadoopSettings().forEach((key, value) -> conf.set("spark.hadoop." + key, value));
    config.spark().extra().forEach(conf::set);
    this.hadoop = SparkHadoopUtil.get().newConfiguration(conf);
  }

  static String normalize(String location) {
    return new Path(location).toString();
  }

  @Override
  public boolean exists(String path) {
    Path p = new Path(path);
    try {
      return fs(p).exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  @Override
  public List<String> list(String dir) {
    Path p = new Path(dir);
    try {
      return Arrays.stream(fs(p).listStatus(p)).map(s -> s.getPath().getName()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir, e);
    }
  }

  @Override
  public byte[] read(String path) {
    Path p = new Path(path);
    try (var in = fs(p).open(p)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  @Override
  public long modifiedMs(String path) {
    Path p = new Path(path);
    try {
      return fs(p).getFileStatus(p).getModificationTime();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  @Override
  public void writeAtomic(String path, String content) {
    Path file = new Path(path);
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

  @Override
  public void mkdirs(String path) {
    Path p = new Path(path);
    try {
      fs(p).mkdirs(p);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + path, e);
    }
  }

  @Override
  public void rename(String from, String to) {
    Path source = new Path(from);
    Path target = new Path(to);
    try {
      FileSystem fs = fs(source);
      if (fs.exists(target) || !fs.rename(source, target)) {
        throw new IOException("the target exists or the file system refused the rename");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot move " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String parent(String path) {
    return new Path(path).getParent().toString();
  }

  @Override
  public String child(String parent, String name) {
    return new Path(new Path(parent), name).toString();
  }

  private FileSystem fs(Path path) {
    try {
      return path.getFileSystem(hadoop);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the file system of " + path, e);
    }
  }
}
