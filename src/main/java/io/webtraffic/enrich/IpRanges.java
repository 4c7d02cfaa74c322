package io.webtraffic.enrich;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The IP-range dimension as sorted arrays of 128-bit bounds, looked up by binary search: a few
 * bytes per range, broadcast once to every executor, no per-row network call. Ranges must not
 * overlap, so an address is in at most one of them and a lookup is unambiguous.
 */
public final class IpRanges implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] firstHi;
  private final long[] firstLo;
  private final long[] lastHi;
  private final long[] lastLo;
  private final Geo[] geos;

  private IpRanges(List<IpRange> sorted) {
    int n = sorted.size();
    firstHi = new long[n];
    firstLo = new long[n];
    lastHi = new long[n];
    lastLo = new long[n];
    geos = new Geo[n];
    for (int i = 0; i < n; i++) {
      IpRange r = sorted.get(i);
      firstHi[i] = r.first().hi();
      firstLo[i] = r.first().lo();
      lastHi[i] = r.last().hi();
      lastLo[i] = r.last().lo();
      geos[i] = r.geo();
    }
  }

  /**
   * @throws IllegalArgumentException naming the range when one ends before it starts or two overlap
   */
  public static IpRanges of(List<IpRange> ranges) {
    List<IpRange> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparing(IpRange::first));
    for (int i = 0; i < sorted.size(); i++) {
      IpRange r = sorted.get(i);
      if (r.last().compareTo(r.first()) < 0) {
        throw new IllegalArgumentException("Invalid IP range " + r + ": it ends before it starts");
      }
      if (i > 0 && sorted.get(i - 1).last().compareTo(r.first()) >= 0) {
        throw new IllegalArgumentException(
            "Invalid IP range " + r + ": it overlaps " + sorted.get(i - 1));
      }
    }
    return new IpRanges(sorted);
  }

  public int size() {
    return geos.length;
  }

  /** The range's place, or {@link Geo#UNKNOWN_GEO} for a malformed or uncovered address. */
  public Geo lookup(String ip) {
    Optional<IpAddress> parsed = IpAddress.parse(ip);
    return parsed.isEmpty() ? Geo.UNKNOWN_GEO : lookup(parsed.get());
  }

  public Geo lookup(IpAddress ip) {
    // The last range starting at or before ip; ip is in it if it does not end before ip.
    int low = 0;
    int high = geos.length - 1;
    int found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (compare(firstHi[mid], firstLo[mid], ip) <= 0) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    if (found < 0 || compare(lastHi[found], lastLo[found], ip) < 0) {
      return Geo.UNKNOWN_GEO;
    }
    return geos[found];
  }

  private static int compare(long hi, long lo, IpAddress ip) {
    int byHi = Long.compareUnsigned(hi, ip.hi());
    return byHi != 0 ? byHi : Long.compareUnsigned(lo, ip.lo());
  }
}
