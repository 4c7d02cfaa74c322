package io.webtraffic.enrich;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The two dimension tables in the job's PostgreSQL schema: {@code ip_ranges} (first and last
 * address as {@code inet}, IPv4 or IPv6, with country, state, city) and {@code sites} (host with
 * site name, owner, environment). The job only reads them; operators and {@code scripts/pipeline
 * dimensions load} write them.
 */
public final class DimensionTables {
  public static final String IP_RANGES = "ip_ranges";
  public static final String SITES = "sites";
  public static final List<String> ALL = List.of(IP_RANGES, SITES);

  private DimensionTables() {}

  /** Idempotent DDL, run with the job's other PostgreSQL tables. */
  public static void create(Statement st, String schema) throws SQLException {
    st.execute(
        "CREATE TABLE IF NOT EXISTS "
            + schema
            + "."
            + IP_RANGES
            + " (range_start inet PRIMARY KEY, range_end inet NOT NULL, country text NOT NULL,"
            + " state text, city text,"
            + " CHECK (family(range_start) = family(range_end) AND range_start <= range_end))");
    st.execute(
        "COMMENT ON TABLE "
            + schema
            + "."
            + IP_RANGES
            + " IS 'IP-range dimension: first and last address included; ranges must not overlap;"
            + " read by the job every enrichment.refresh-interval'");
    st.execute(
        "CREATE TABLE IF NOT EXISTS "
            + schema
            + "."
            + SITES
            + " (host text PRIMARY KEY CHECK (host = lower(host)), site_name text NOT NULL,"
            + " owner text, environment text)");
  }

  /**
   * Reads both tables in one snapshot (a repeatable-read transaction), so ranges and hosts belong
   * to the same moment.
   *
   * @throws IllegalStateException when the ranges overlap or an address is not one
   */
  public static Dimensions read(Connection c, String schema) throws SQLException {
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try {
      return readInTransaction(c, schema);
    } finally {
      c.rollback();
    }
  }

  /** Reads both tables within the caller's transaction (which sees its own uncommitted rows). */
  static Dimensions readInTransaction(Connection c, String schema) throws SQLException {
    MessageDigest digest = sha256();
    List<IpRange> ranges = new ArrayList<>();
    Map<String, Site> sites = new LinkedHashMap<>();
    try (Statement st = c.createStatement()) {
      try (ResultSet rs =
          st.executeQuery(
              "SELECT host(range_start), host(range_end), country, state, city FROM "
                  + schema
                  + "."
                  + IP_RANGES
                  + " ORDER BY range_start")) {
        while (rs.next()) {
          String first = rs.getString(1);
          String last = rs.getString(2);
          Geo geo = new Geo(rs.getString(3), rs.getString(4), rs.getString(5));
          ranges.add(new IpRange(address(first), address(last), geo));
          update(digest, "r", first, last, geo.country(), geo.state(), geo.city());
        }
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT host, site_name, owner, environment FROM "
                  + schema
                  + "."
                  + SITES
                  + " ORDER BY host")) {
        while (rs.next()) {
          Site site = new Site(rs.getString(2), rs.getString(3), rs.getString(4));
          sites.put(rs.getString(1).toLowerCase(Locale.ROOT), site);
          update(digest, "s", rs.getString(1), site.siteName(), site.owner(), site.environment());
        }
      }
    }
    IpRanges table;
    try {
      table = IpRanges.of(ranges);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "Cannot use " + schema + "." + IP_RANGES + ": " + e.getMessage(), e);
    }
    return new Dimensions(table, sites, HexFormat.of().formatHex(digest.digest()).substring(0, 16));
  }

  private static IpAddress address(String text) {
    return IpAddress.parse(text)
        .orElseThrow(() -> new IllegalStateException("Cannot parse inet value '" + text + "'"));
  }

  private static void update(MessageDigest digest, String... fields) {
    for (String f : fields) {
      digest.update(String.valueOf(f).getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0x1f);
    }
    digest.update((byte) 0x1e);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
