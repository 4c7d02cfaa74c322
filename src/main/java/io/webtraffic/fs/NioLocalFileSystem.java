package io.webtraffic.fs;

import org.apache.hadoop.fs.LocalFileSystem;

/**
 * The {@code file:} scheme for Hadoop's {@code FileSystem} API (Iceberg's Hadoop catalog, Spark's
 * file sources): Hadoop's checksummed local file system over {@link NioRawLocalFileSystem}.
 */
public class NioLocalFileSystem extends LocalFileSystem {
  public NioLocalFileSystem() {
    super(new NioRawLocalFileSystem());
  }
}
