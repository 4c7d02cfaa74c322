package io.webtraffic.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A checkpoint on the local disk, read with java.nio: no Hadoop or Spark classes to load, so that
 * {@code status} answers in well under a second of its own work. Paths keep the {@code file:}
 * prefix when the location had one, as Hadoop prints them.
 */
final class LocalCheckpointStore implements CheckpointStore {
  private static final String FILE_SCHEME = "file:";

  /** Whether Hadoop would resolve this location to the local file system. */
  static boolean handles(String location) {
    int colon = location.indexOf(':');
    int slash = location.indexOf('/');
    return location.startsWith(FILE_SCHEME) || colon < 0 || (slash >= 0 && slash < colon);
  }

  /** The location as Hadoop prints it: no trailing slash, {@code file:/x} for {@code file:///x}. */
  static String normalize(String location) {
    String prefix = location.startsWith(FILE_SCHEME) ? FILE_SCHEME : "";
    return prefix + path(location);
  }

  @Override
  public boolean exists(String path) {
    return Files.exists(path(path));
  }

  @Override
  public List<String> list(String dir) {
    try (Stream<Path> entries = Files.list(path(dir))) {
      return entries.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir, e);
    }
  }

  @Override
  public byte[] read(String path) {
    try {
      return Files.readAllBytes(path(path));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  @Override
  public long modifiedMs(String path) {
    try {
      return Files.getLastModifiedTime(path(path)).toMillis();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  @Override
  public void writeAtomic(String path, String content) {
    Path target = path(path);
    try {
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
      try {
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        try {
          Files.move(
              temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + path, e);
    }
  }

  @Override
  public void mkdirs(String path) {
    try {
      Files.createDirectories(path(path));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + path, e);
    }
  }

  @Override
  public void rename(String from, String to) {
    try {
      // Without REPLACE_EXISTING the move fails if anything is at the target.
      Files.move(path(from), path(to));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot move "
              + from
              + " to "
              + to
              + ": the target exists or the file system refused the rename",
          e);
    }
  }

  @Override
  public String parent(String path) {
    String prefix = path.startsWith(FILE_SCHEME) ? FILE_SCHEME : "";
    return prefix + path(path).getParent();
  }

  @Override
  public String child(String parent, String name) {
    String prefix = parent.startsWith(FILE_SCHEME) ? FILE_SCHEME : "";
    return prefix + path(parent).resolve(name);
  }

  private static Path path(String location) {
    String p = location;
    if (p.startsWith(FILE_SCHEME)) {
      p = p.substring(FILE_SCHEME.length());
      // file:///x and file://localhost/x name the same file as file:/x.
      if (p.startsWith("//")) {
        int slash = p.indexOf('/', 2);
        p = slash < 0 ? "/" : p.substring(slash);
      }
    }
    return Path.of(p).normalize();
  }
}
