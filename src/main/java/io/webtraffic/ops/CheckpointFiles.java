package io.webtraffic.ops;

import io.webtraffic.config.PipelineConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

/**
 * Files in and next to a checkpoint location, without starting Spark: the operator commands read a
 * few small files and should answer in a second. A local checkpoint is read with java.nio (no
 * Hadoop or Spark class is loaded); HDFS or an object store through the Hadoop file system with the
 * configuration Spark would give the job.
 */
public final class CheckpointFiles {
  private final String root;
  private final CheckpointStore store;

  private CheckpointFiles(String root, CheckpointStore store) {
    this.root = root;
    this.store = store;
  }

  /** The job's checkpoint location; {@code spark.hadoop.*} settings apply as they do in Spark. */
  public static CheckpointFiles of(PipelineConfig config) {
    return of(config.checkpointLocation(), config);
  }

  static CheckpointFiles of(String location, PipelineConfig config) {
    if (LocalCheckpointStore.handles(location)) {
      return new CheckpointFiles(
          LocalCheckpointStore.normalize(location), new LocalCheckpointStore());
    }
    return new CheckpointFiles(
        HadoopCheckpointStore.normalize(location), new HadoopCheckpointStore(config));
  }

  public String location() {
    return root;
  }

  public boolean exists() {
    return store.exists(root);
  }

  /** A file or folder next to the checkpoint (same parent), reached with the same settings. */
  public CheckpointFiles sibling(String name) {
    return new CheckpointFiles(store.child(store.parent(root), name), store);
  }

  /** Batch ids in one of the checkpoint's logs ({@code offsets}, {@code commits}), ascending. */
  long[] batchIds(String log) {
    String dir = path(log);
    if (!store.exists(dir)) {
      return new long[0];
    }
    return store.list(dir).stream()
        .filter(name -> name.matches("\\d+"))
        .mapToLong(Long::parseLong)
        .sorted()
        .toArray();
  }

  OptionalLong lastBatchId(String log) {
    long[] ids = batchIds(log);
    return ids.length == 0 ? OptionalLong.empty() : OptionalLong.of(ids[ids.length - 1]);
  }

  boolean exists(String relative) {
    return store.exists(path(relative));
  }

  List<String> readLines(String relative) {
    return new String(store.read(path(relative)), StandardCharsets.UTF_8).lines().toList();
  }

  long modifiedMs(String relative) {
    return store.modifiedMs(path(relative));
  }

  /** Replaces this file so that a reader sees the old content or the new, never half of it. */
  void write(String content) {
    store.writeAtomic(root, content);
  }

  /** Replaces a file in this folder, atomically. */
  void write(String relative, String content) {
    store.writeAtomic(path(relative), content);
  }

  void mkdirs() {
    store.mkdirs(root);
  }

  /** Renames the whole location; refuses to overwrite anything at the target. */
  void renameTo(CheckpointFiles target) {
    store.rename(root, target.root);
  }

  private String path(String relative) {
    String p = root;
    for (String part : relative.split("/")) {
      p = store.child(p, part);
    }
    return p;
  }
}
