package io.webtraffic.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.webtraffic.enrich.DimensionLoader;
import io.webtraffic.local.Await;
import io.webtraffic.local.SharedStack;
import io.webtraffic.sink.PostgresSink;
import io.webtraffic.testing.TestEvents;
import io.webtraffic.testing.TestPipeline;
import io.webtraffic.testing.TestSpark;
import java.io.StringReader;
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
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The side inputs in a running job (processing-time trigger): events are enriched from the
 * dimension tables at the ranges' edges, a dimension row changed in PostgreSQL reaches the events
 * sent once the refresh interval has passed, and the events enriched before keep the old values.
 */
@ExtendWith(SharedStack.class)
class SideInputsEndToEndTest {
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
  static final Duration REFRESH = Duration.ofSeconds(2);
  static final Duration WAIT = Duration.ofMinutes(3);
  static final String WWW = "www.example-academy.io";
  static final String BLOG = "blog.example-academy.io";

  static final String IP_RANGES =
      """
      range_start,range_end,country,state,city
      192.0.2.0,192.0.2.63,France,Île-de-France,Paris
      2001:db8:1000::,2001:db8:1fff:ffff:ffff:ffff:ffff:ffff,Japan,Tokyo,Tokyo
      """;
  static final String SITES =
      """
      host,site_name,owner,environment
      www.example-academy.io,Example Academy,team-a,production
      """;

  @TempDir Path workDir;

  @Test
  void enrichesAtTheRangeEdgesAndPicksUpAChangedRowAfterTheRefreshInterval() throws Exception {
    TestPipeline pipeline =
        new TestPipeline(
            "side_inputs",
            SharedStack.endpoints(),
            workDir,
            Map.of(
                "trigger",
                "500 milliseconds",
                "enrichment.refresh-interval",
                "2 seconds",
                "postgres.upsert-events",
                "true"));
    SharedStack.kafka().createTopic(pipeline.topic(), 2);
    new PostgresSink(pipeline.config().postgres(), "side_inputs").createTablesIfMissing();
    try (Connection c = pipeline.postgres()) {
      DimensionLoader.replace(
          c, "side_inputs", new StringReader(IP_RANGES), new StringReader(SITES));
    }

    StreamingQuery query = pipeline.start();
    try {
      // 1. Before the change: first and last address of a range, one past it, IPv4-mapped IPv6,
      // the last IPv6 address of a range, a malformed address, a host the dimension lacks.
      pipeline.send(
          List.of(
              event("192.0.2.0", WWW, 0, "/1-first"),
              event("192.0.2.63", WWW, 1, "/1-last"),
              event("192.0.2.64", WWW, 2, "/1-one-past"),
              event("::ffff:192.0.2.10", WWW, 3, "/1-mapped"),
              event("2001:db8:1fff:ffff:ffff:ffff:ffff:ffff", WWW, 4, "/1-v6-last"),
              event("not-an-ip", WWW, 5, "/1-malformed"),
              event("192.0.2.1", BLOG, 6, "/1-unknown-host")));
      awaitEvents(pipeline, query, 7);

      // 2. Change one range and one site while the job runs.
      try (Connection c = pipeline.postgres();
          Statement st = c.createStatement()) {
        st.executeUpdate(
            "UPDATE side_inputs.ip_ranges SET state = 'Auvergne-Rhône-Alpes', city = 'Lyon'"
                + " WHERE range_start = '192.0.2.0'");
        st.executeUpdate("UPDATE side_inputs.sites SET owner = 'team-b'");
      }
      // The one thing to wait for is the refresh interval itself: any batch planned after it has
      // passed since the change reloads (or has already reloaded) the tables.
      Instant due = Instant.now().plus(REFRESH);
      Await.until(() -> Instant.now().isAfter(due), WAIT, "the refresh interval to pass");

      // 3. After it: the same clients again.
      pipeline.send(
          List.of(
              event("192.0.2.0", WWW, 60, "/2-first"),
              event("192.0.2.64", WWW, 61, "/2-one-past"),
              event("192.0.2.1", BLOG, 62, "/2-unknown-host")));
      awaitEvents(pipeline, query, 10);
    } finally {
      query.stop();
    }

    String paris = "France Île-de-France Paris";
    String lyon = "France Auvergne-Rhône-Alpes Lyon";
    String unknownGeo = "unknown unknown unknown";
    String academyA = "Example Academy team-a production";
    String academyB = "Example Academy team-b production";
    String unknownSite = "unknown unknown unknown";
    List<String> expected =
        List.of(
            "/1-first " + paris + " " + academyA,
            "/1-last " + paris + " " + academyA,
            "/1-malformed " + unknownGeo + " " + academyA,
            "/1-mapped " + paris + " " + academyA,
            "/1-one-past " + unknownGeo + " " + academyA,
            "/1-unknown-host " + paris + " " + unknownSite,
            "/1-v6-last Japan Tokyo Tokyo " + academyA,
            "/2-first " + lyon + " " + academyB,
            "/2-one-past " + unknownGeo + " " + academyB,
            "/2-unknown-host " + lyon + " " + unknownSite);
    assertEquals(
        expected,
        lines(
            TestSpark.session()
                .sql(
                    "SELECT url, country, state, city, site_name, owner, environment FROM "
                        + pipeline.table("events")
                        + " ORDER BY url")
                .collectAsList()),
        "Iceberg events: the old values before the change, the new ones after");

    // Sessions carry the geography of their ip as of their last change.
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement()) {
      assertEquals(
          expected,
          rows(
              st,
              "SELECT url, country, state, city, site_name, owner, environment FROM "
                  + pipeline.pgTable("processed_events")
                  + " ORDER BY url"),
          "PostgreSQL processed_events: the same values");
      assertEquals(
          List.of(
              "192.0.2.0 www " + lyon + " 2",
              "192.0.2.1 blog " + lyon + " 2",
              "192.0.2.63 www " + paris + " 1",
              "192.0.2.64 www " + unknownGeo + " 2",
              "2001:db8:1fff:ffff:ffff:ffff:ffff:ffff www Japan Tokyo Tokyo 1",
              "::ffff:192.0.2.10 www " + paris + " 1",
              "not-an-ip www " + unknownGeo + " 1"),
          rows(
              st,
              "SELECT ip, split_part(host, '.', 1), country, state, city, events FROM "
                  + pipeline.pgTable("sessions")
                  + " ORDER BY ip COLLATE \"C\""),
          "PostgreSQL sessions");

      // Each batch records the dimension version it used: one before the change, one after.
      Set<String> before = versions(st, pipeline, "/1-%");
      Set<String> after = versions(st, pipeline, "/2-%");
      assertEquals(1, before.size(), "one version for the first events: " + before);
      assertEquals(1, after.size(), "one version for the later events: " + after);
      assertNotEquals(before, after);
      System.out.printf(
          "[side_inputs] dimensions version %s before the change, %s after%n", before, after);
    }
  }

  static TestPipeline.Message event(String ip, String host, int second, String url) {
    return TestEvents.event(ip, host, T0.plusSeconds(second), url, "Firefox");
  }

  /** The versions recorded by the batches that wrote the events whose url matches. */
  static Set<String> versions(Statement st, TestPipeline pipeline, String urls) throws Exception {
    List<Long> batches = new ArrayList<>();
    for (Row r :
        TestSpark.session()
            .sql(
                "SELECT DISTINCT batch_id FROM "
                    + pipeline.table("events")
                    + " WHERE url LIKE '"
                    + urls
                    + "'")
            .collectAsList()) {
      batches.add(r.getLong(0));
    }
    Set<String> versions = new TreeSet<>();
    for (long batch : batches) {
      try (ResultSet rs =
          st.executeQuery(
              "SELECT dimensions_version FROM "
                  + pipeline.pgTable("pipeline_batches")
                  + " WHERE batch_id = "
                  + batch)) {
        while (rs.next()) {
          versions.add(rs.getString(1));
        }
      }
    }
    return versions;
  }

  static void awaitEvents(TestPipeline pipeline, StreamingQuery query, long events)
      throws Exception {
    Await.until(
        () -> {
          if (query.exception().isDefined()) {
            throw new AssertionError("The job failed", query.exception().get());
          }
          return DependencyFaultsTest.accounting(pipeline)[1] >= events;
        },
        WAIT,
        events + " events accounted in " + pipeline.pgTable("pipeline_batches"));
  }

  static List<String> lines(List<Row> rows) {
    List<String> lines = new ArrayList<>();
    for (Row r : rows) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        cells.add(String.valueOf(r.get(i)));
      }
      lines.add(String.join(" ", cells));
    }
    return lines;
  }

  static List<String> rows(Statement st, String query) throws Exception {
    List<String> lines = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(query)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          cells.add(String.valueOf(rs.getObject(i)));
        }
        lines.add(String.join(" ", cells));
      }
    }
    return lines;
  }
}
