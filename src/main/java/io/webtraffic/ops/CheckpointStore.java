package io.webtraffic.ops;

import java.util.List;

/**
 * The few file operations the operator commands do in and next to a checkpoint. Paths are the
 * store's own strings; {@link CheckpointFiles} joins them.
 */
interface CheckpointStore {
  boolean exists(String path);

  /** Names of the entries of a folder. */
  List<String> list(String dir);

  byte[] read(String path);

  long modifiedMs(String path);

  /** Replaces a file so that a reader sees the old content or the new, never half of it. */
  void writeAtomic(String path, String content);

  void mkdirs(String path);

  /** Renames a file or folder; refuses to overwrite anything at the target. */
  void rename(String from, String to);

  String parent(String path);

  String child(String parent, String name);
}
