package io.webtraffic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webtraffic.enrich.DimensionTables;
import io.webtraffic.enrich.Dimensions;
import io.webtraffic.enrich.Geo;
import io.webtraffic.local.SharedStack;
import io.webtraffic.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dimensions load}: the sample dataset covers the event generator's addresses except the
 * blocks left unknown on purpose, and a file that would break the lookup changes nothing.
 */
@ExtendWith(SharedStack.class)
class DimensionsCommandTest {
  static final String SCHEMA = "dimensions_cli";

  @TempDir Path dir;

  static List<String> flags(String... more) {
    List<String> args = new ArrayList<>(List.of("dimensions", "load"));
    args.addAll(
        List.of(
            "--set",
            "postgres.url=" + SharedStack.endpoints().jdbcUrl(),
            "--set",
            "postgres.user=" + SharedStack.endpoints().jdbcUser(),
            "--set",
            "postgres.schema=" + SCHEMA));
    args.addAll(List.of(more));
    return args;
  }

  static Dimensions current() throws Exception {
    try (Connection c =
        DriverManager.getConnection(
            SharedStack.endpoints().jdbcUrl(), SharedStack.endpoints().jdbcUser(), "")) {
      return DimensionTables.read(c, SCHEMA);
    }
  }

  @Test
  void theSampleCoversTheGeneratorsAddressesButTheBlocksLeftUnknown() throws Exception {
    CliRun run = CliRun.of(flags().toArray(String[]::new));
    assertEquals(0, run.code(), run.err());
    assertEquals(
        "Loaded 25 IP ranges into dimensions_cli.ip_ranges and 5 sites into dimensions_cli.sites"
            + " (version "
            + current().version()
            + ")\n",
        run.out());

    // The generator's addresses (generate/ClientPool): x.y.z.1-254 in three IPv4 documentation
    // blocks, and 2001:db8:g::h with g and h from 1 to ffff.
    Dimensions dims = current();
    int unknownV4 = 0;
    for (String block : List.of("192.0.2.", "198.51.100.", "203.0.113.")) {
      for (int host = 1; host <= 254; host++) {
        if (dims.geo(block + host).equals(Geo.UNKNOWN_GEO)) {
          unknownV4++;
        }
      }
    }
    assertEquals(254 - 192 + 1, unknownV4, "only 203.0.113.192-254 are unknown");
    int unknownV6 = 0;
    for (int group = 1; group <= 0xffff; group++) {
      if (dims.geo("2001:db8:" + Integer.toHexString(group) + "::1").equals(Geo.UNKNOWN_GEO)) {
        unknownV6++;
      }
    }
    assertEquals(0x10000 - 0xe000, unknownV6, "only 2001:db8:e000:: and above are unknown");
    for (String host :
        List.of(
            "www.example-academy.io",
            "blog.example-academy.io",
            "app.example-academy.io",
            "docs.example-academy.io")) {
      assertEquals("production", dims.site(host).environment(), host);
    }
  }

  @Test
  void overlappingRangesRollTheLoadBackAndSayWhich() throws Exception {
    assertEquals(0, CliRun.of(flags().toArray(String[]::new)).code());
    String before = current().version();
    Path ranges = dir.resolve("ranges.csv");
    Files.writeString(
        ranges,
        "range_start,range_end,country,state,city\n"
            + "192.0.2.0,192.0.2.63,France,,Paris\n"
            + "192.0.2.60,192.0.2.70,Germany,,Berlin\n");
    Path sites = dir.resolve("sites.csv");
    Files.writeString(sites, "host,site_name,owner,environment\nwww.example.io,Example,,\n");

    CliRun run =
        CliRun.of(
            flags("--ip-ranges", ranges.toString(), "--sites", sites.toString())
                .toArray(String[]::new));

    assertEquals(1, run.code());
    assertEquals(
        "Failed: Cannot use dimensions_cli.ip_ranges: Invalid IP range 192.0.2.60 - 192.0.2.70"
            + " (Germany, unknown, Berlin): it overlaps 192.0.2.0 - 192.0.2.63 (France, unknown,"
            + " Paris)\n",
        run.err());
    assertEquals(before, current().version(), "the sample is still there");
  }
}
