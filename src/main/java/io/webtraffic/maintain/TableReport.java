package io.webtraffic.maintain;

/**
 * What maintenance did to one table.
 *
 * @param closedBefore partitions before this instant were closed, and compacted
 * @param retries steps planned again after losing a commit race
 */
public record TableReport(
    String table,
    String closedBefore,
    TableState before,
    TableState after,
    int filesCompacted,
    int filesWritten,
    int manifestsRewritten,
    int manifestsWritten,
    int snapshotsExpired,
    long filesDeletedWithSnapshots,
    int orphansRemoved,
    int retries) {

  @Override
  public String toString() {
    return String.format(
        "%s: data files %d -> %d (%s -> %s) | compacted %d files into %d (partitions before %s)"
            + " | manifests %d -> %d | snapshots %d -> %d (%d expired, %d files deleted)"
            + " | orphan files removed %d | rows %d -> %d%s",
        table,
        before.dataFiles(),
        after.dataFiles(),
        bytes(before.bytes()),
        bytes(after.bytes()),
        filesCompacted,
        filesWritten,
        closedBefore,
        before.manifests(),
        after.manifests(),
        before.snapshots(),
        after.snapshots(),
        snapshotsExpired,
        filesDeletedWithSnapshots,
        orphansRemoved,
        before.records(),
        after.records(),
        retries == 0 ? "" : " | " + retries + " retries after commit conflicts");
  }

  static String bytes(long n) {
    if (n < 1024 * 1024) {
      return String.format("%.1f KB", n / 1024.0);
    }
    return String.format("%.1f MB", n / (1024.0 * 1024));
  }
}
