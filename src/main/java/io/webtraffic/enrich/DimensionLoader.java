package io.webtraffic.enrich;

import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * Replaces the contents of both dimension tables with CSV files (a header line, then {@code
 * range_start,range_end,country,state,city} and {@code host,site_name,owner,environment}), in one
 * transaction: the running job sees the old rows or the new ones, never a mix, and rows that would
 * break the lookup (overlapping ranges, a bad address) roll the whole load back.
 */
public final class DimensionLoader {
  private DimensionLoader() {}

  /** Returns what the job will load from the tables now. */
  public static Dimensions replace(Connection c, String schema, Reader ipRanges, Reader sites)
      throws SQLException, IOException {
    c.setAutoCommit(false);
    try {
      try (Statement st = c.createStatement()) {
        st.executeUpdate("DELETE FROM " + schema + "." + DimensionTables.IP_RANGES);
        st.executeUpdate("DELETE FROM " + schema + "." + DimensionTables.SITES);
      }
      var copy = c.unwrap(PGConnection.class).getCopyAPI();
      copy.copyIn(
          "COPY "
              + schema
              + "."
              + DimensionTables.IP_RANGES
              + " (range_start, range_end, country, state, city) FROM STDIN (FORMAT csv, HEADER true)",
          ipRanges);
      copy.copyIn(
          "COPY "
              + schema
              + "."
              + DimensionTables.SITES
              + " (host, site_name, owner, environment) FROM STDIN (FORMAT csv, HEADER true)",
          sites);
      Dimensions loaded = DimensionTables.readInTransaction(c, schema);
      c.commit();
      return loaded;
    } catch (SQLException | IOException | RuntimeException e) {
      c.rollback();
      throw e;
    }
  }
}
