package io.webtraffic.it;

import static io.webtraffic.testing.PartitionedEvents.inEventsTable;
import static io.webtraffic.testing.PartitionedEvents.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webtraffic.local.SharedStack;
import io.webtraffic.ops.RewindMarker;
import io.webtraffic.testing.AvailableNowRun;
import io.webtraffic.testing.CliRun;
import io.webtraffic.testing.TestPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rewind} on a job that has run: it refuses to touch the checkpoint without {@code --force}
 * and shows what it would replay; with it, the old checkpoint is moved aside, never deleted, and
 * the job restarted as before reads exactly the records from the rewind time on, which land in the
 * tables a second time, as the command warned.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RewindTest {
  static final Instant T = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));

  @TempDir static Path workDir;
  TestPipeline pipeline;

  TestPipeline pipeline() {
    if (pipeline == null) {
      pipeline = new TestPipeline("rewind", SharedStack.endpoints(), workDir, Map.of());
      SharedStack.kafka().createTopic(pipeline.topic(), 2);
    }
    return pipeline;
  }

  static Instant at(int seconds) {
    return T.plusSeconds(seconds);
  }

  CliRun cli(String command, Path checkpoint, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                command,
                "--checkpoint",
                checkpoint.toString(),
                "--set",
                "job-name=rewind",
                "--set",
                "kafka.bootstrap-servers=" + SharedStack.endpoints().bootstrapServers(),
                "--set",
                "kafka.topic=" + pipeline().topic(),
                "--set",
                "iceberg.namespace=rewind",
                "--set",
                "postgres.schema=rewind"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  List<List<String>> planRows(String out) {
    return out.lines()
        .filter(l -> l.startsWith("topic-rewind") || l.startsWith("total"))
        .map(l -> List.of(l.trim().split("\\s+")))
        .toList();
  }

  @Test
  @Order(1)
  void step1_withoutForceItShowsThePlanAndChangesNothing() throws Exception {
    send(SharedStack.endpoints(), pipeline().topic(), 0, at(0), at(10), at(20));
    send(SharedStack.endpoints(), pipeline().topic(), 1, at(5), at(15), at(25));
    AvailableNowRun.run(pipeline().config());
    Path checkpoint = pipeline().checkpoint();

    CliRun r = cli("rewind", checkpoint, "--to", at(12).toString());

    assertEquals(1, r.code());
    // From 12 s: partition 0 at its record of 20 s (offset 2), partition 1 at 15 s (offset 1).
    assertEquals(
        List.of(
            List.of("topic-rewind", "0", "2", "3", "1"),
            List.of("topic-rewind", "1", "1", "3", "2"),
            List.of("total", "3")),
        planRows(r.out()));
    assertTrue(
        r.out().contains("WARNING: 3 records already processed will be processed again"), r.out());
    assertTrue(
        r.out()
            .contains(
                "PostgreSQL rewind.hits_by_host, rewind.hits_by_host_referrer,"
                    + " rewind.hits_by_host_sliding: hits incremented again (doubled)"),
        r.out());
    assertTrue(
        r.err()
            .strip()
            .matches(
                "Failed: Cannot rewind: checkpoint "
                    + checkpoint
                    + " exists; nothing was changed\\. Stop the job, then re-run with --force to"
                    + " move it aside to "
                    + checkpoint
                    + "\\.before-rewind-\\d{8}T\\d{6}Z"),
        r.err());
    assertTrue(Files.exists(checkpoint.resolve("commits/1")), "the checkpoint is untouched");
    assertFalse(Files.exists(checkpoint.resolve("rewind.json")));
  }

  @Test
  @Order(2)
  void step2_withForceTheOldCheckpointIsMovedAsideAndANewOnePrepared() throws Exception {
    Path checkpoint = pipeline().checkpoint();

    CliRun r = cli("rewind", checkpoint, "--to", at(12).toString(), "--force");

    assertEquals(0, r.code(), r.err());
    List<Path> aside;
    try (Stream<Path> files = Files.list(workDir)) {
      aside =
          files
              .filter(
                  f -> f.getFileName().toString().startsWith("checkpoint-rewind.before-rewind-"))
              .toList();
    }
    assertEquals(1, aside.size(), "moved aside once");
    assertTrue(Files.exists(aside.get(0).resolve("commits/1")), "with its history");
    try (Stream<Path> files = Files.list(checkpoint)) {
      assertEquals(
          List.of("rewind.json"),
          files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".")).toList(),
          "nothing but the marker (and its checksum)");
    }
    RewindMarker marker =
        new ObjectMapper()
            .readValue(checkpoint.resolve("rewind.json").toFile(), RewindMarker.class);
    assertEquals(at(12).toString(), marker.to());
    assertEquals(aside.get(0).toString(), marker.previousCheckpoint());
    assertTrue(
        r.out()
            .contains(
                "Next: restart the job as before, e.g.\n  scripts/pipeline run --checkpoint "
                    + checkpoint
                    + " --set job-name=rewind"),
        r.out());

    CliRun status = cli("status", checkpoint);
    assertEquals(3, status.code());
    assertEquals(
        "Checkpoint "
            + checkpoint
            + " has no committed batch yet (prepared by rewind: the job starts at "
            + at(12)
            + ")",
        status.err().strip());
  }

  @Test
  @Order(3)
  void step3_theRestartedJobReadsFromTheRewindTimeAndTheTablesGetThoseRecordsTwice()
      throws Exception {
    // What the run command does with the configuration: the marker sets the starting position.
    long read =
        AvailableNowRun.recordsRead(AvailableNowRun.run(RewindMarker.apply(pipeline().config())));

    assertEquals(3, read);
    assertEquals(
        List.of("0:0", "0:1", "0:2", "0:2", "1:0", "1:1", "1:1", "1:2", "1:2"),
        inEventsTable(pipeline()));
    try (Connection c = pipeline().postgres();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT sum(hits) FROM rewind.hits_by_host")) {
      rs.next();
      assertEquals(6 + 3, rs.getLong(1), "the replayed records are counted again");
    }
  }

  @Test
  @Order(4)
  void aNewCheckpointLocationNeedsNoForce() throws Exception {
    Path fresh = workDir.resolve("fresh-checkpoint");

    CliRun r = cli("rewind", fresh, "--to", at(12).toString());

    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("No checkpoint there yet."), r.out());
    assertTrue(Files.exists(fresh.resolve("rewind.json")));
  }
}
