package io.webtraffic.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.testing.TestSpark;
import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NioLocalFileSystemTest {
  @TempDir java.nio.file.Path dir;

  private static RawLocalFileSystem init(RawLocalFileSystem fs) throws Exception {
    fs.initialize(java.net.URI.create("file:///"), new Configuration(false));
    return fs;
  }

  /**
   * Runs the action and returns the commands it tried to start as processes on this thread, which a
   * security manager refuses (other threads are left alone).
   */
  @SuppressWarnings("removal")
  private static List<String> processesStartedBy(ThrowingRunnable action) throws Exception {
    Thread self = Thread.currentThread();
    List<String> started = new ArrayList<>();
    SecurityManager previous = System.getSecurityManager();
    System.setSecurityManager(
        new SecurityManager() {
          @Override
          public void checkExec(String cmd) {
            if (Thread.currentThread() == self) {
              started.add(cmd);
              throw new SecurityException("no process: " + cmd);
            }
          }

          @Override
          public void checkPermission(java.security.Permission perm) {}

          @Override
          public void checkPermission(java.security.Permission perm, Object context) {}
        });
    try {
      action.run();
    } catch (Exception e) {
      if (started.isEmpty()) {
        throw e;
      }
    } finally {
      System.setSecurityManager(previous);
    }
    return started;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void noProcessIsStartedWhereHadoopStartsOne() throws Exception {
    java.nio.file.Path file = Files.createFile(dir.resolve("f"));
    Path p = new Path(file.toUri());
    FsPermission mode = new FsPermission((short) 0640);
    RawLocalFileSystem hadoops = init(new RawLocalFileSystem());
    RawLocalFileSystem ours = init(new NioRawLocalFileSystem());
    // The control: without its native library, Hadoop starts chmod and readlink.
    assertFalse(processesStartedBy(() -> hadoops.setPermission(p, mode)).isEmpty(), "chmod");
    assertFalse(processesStartedBy(() -> hadoops.getFileLinkStatus(p)).isEmpty(), "readlink");
    assertEquals(List.of(), processesStartedBy(() -> ours.setPermission(p, mode)));
    assertEquals(List.of(), processesStartedBy(() -> ours.getFileLinkStatus(p)));
  }

  @Test
  void permissionsAreSetAsChmodWouldSetThem() throws Exception {
    RawLocalFileSystem fs = init(new NioRawLocalFileSystem());
    java.nio.file.Path file = Files.createFile(dir.resolve("f"));
    Path p = new Path(file.toUri());
    for (String octal : new String[] {"644", "600", "755", "000", "777", "640"}) {
      fs.setPermission(p, new FsPermission(Short.parseShort(octal, 8)));
      String expected = new FsPermission(Short.parseShort(octal, 8)).toString(); // e.g. rw-r--r--
      assertEquals(
          expected,
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
          "mode " + octal);
    }
  }

  @Test
  void linkStatusOfFilesDirectoriesAndLinksMatchesHadoops() throws Exception {
    RawLocalFileSystem ours = init(new NioRawLocalFileSystem());
    RawLocalFileSystem hadoops = init(new RawLocalFileSystem());
    java.nio.file.Path file = Files.writeString(dir.resolve("file"), "abc");
    java.nio.file.Path sub = Files.createDirectory(dir.resolve("sub"));
    java.nio.file.Path link = Files.createSymbolicLink(dir.resolve("link"), file);
    for (java.nio.file.Path x : new java.nio.file.Path[] {file, sub, link}) {
      Path p = new Path(x.toUri());
      FileStatus a = ours.getFileLinkStatus(p);
      FileStatus b = hadoops.getFileLinkStatus(p);
      assertEquals(b.getPath(), a.getPath(), x + " path");
      assertEquals(b.isDirectory(), a.isDirectory(), x + " directory");
      assertEquals(b.isSymlink(), a.isSymlink(), x + " symlink");
      assertEquals(b.getLen(), a.getLen(), x + " length");
    }
    assertFalse(ours.getFileLinkStatus(new Path(file.toUri())).isSymlink());
    assertThrows(
        FileNotFoundException.class,
        () -> ours.getFileLinkStatus(new Path(dir.resolve("missing").toUri())));
  }

  @Test
  void bothHadoopApisWriteRenameAndReadThroughIt() throws Exception {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", NioLocalFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    conf.set("fs.AbstractFileSystem.file.impl", NioLocalFs.class.getName());

    FileContext fc = FileContext.getFileContext(conf);
    assertEquals(NioLocalFs.class, fc.getDefaultFileSystem().getClass());
    Path tmp = new Path(dir.resolve("state/.1.changelog.tmp").toUri());
    Path done = new Path(dir.resolve("state/1.changelog").toUri());
    try (FSDataOutputStream out =
        fc.create(
            tmp,
            EnumSet.of(CreateFlag.CREATE, CreateFlag.OVERWRITE),
            Options.CreateOpts.createParent())) {
      out.write("v1".getBytes(StandardCharsets.UTF_8));
    }
    fc.rename(tmp, done, Options.Rename.OVERWRITE);
    assertEquals("v1", Files.readString(dir.resolve("state/1.changelog")));
    assertTrue(Files.exists(dir.resolve("state/.1.changelog.crc")), "checksums are kept");

    FileSystem fs = new Path(dir.toUri()).getFileSystem(conf);
    assertEquals(NioLocalFileSystem.class, fs.getClass());
    Path meta = new Path(dir.resolve("table/metadata/v1.metadata.json").toUri());
    try (FSDataOutputStream out = fs.create(meta, false)) {
      out.write("{}".getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(fs.rename(meta, new Path(dir.resolve("table/metadata/v2.metadata.json").toUri())));
    assertEquals("{}", Files.readString(dir.resolve("table/metadata/v2.metadata.json")));
    assertEquals(1, fs.listStatus(new Path(dir.resolve("table/metadata").toUri())).length);
  }

  @Test
  void theJobsSparkSessionWritesLocalFilesThroughIt() throws Exception {
    // Spark's checkpoint logs and state stores go through FileContext, Iceberg through FileSystem.
    Configuration conf = TestSpark.session().sparkContext().hadoopConfiguration();
    assertEquals(
        NioLocalFs.class,
        FileContext.getFileContext(java.net.URI.create("file:///"), conf)
            .getDefaultFileSystem()
            .getClass());
    assertEquals(
        NioRawLocalFileSystem.class,
        ((org.apache.hadoop.fs.LocalFileSystem) FileSystem.newInstance(dir.toUri(), conf))
            .getRaw()
            .getClass());
  }
}
