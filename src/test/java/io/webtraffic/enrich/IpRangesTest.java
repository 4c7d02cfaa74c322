package io.webtraffic.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The range lookup at its edges: first and last address, one outside, gaps, both families. */
class IpRangesTest {
  static final Geo PARIS = new Geo("France", "Île-de-France", "Paris");
  static final Geo BERLIN = new Geo("Germany", "Berlin", "Berlin");
  static final Geo TOKYO = new Geo("Japan", "Tokyo", "Tokyo");
  static final Geo SINGAPORE = new Geo("Singapore", null, "Singapore");

  // Given out of order on purpose: the table sorts them.
  static final IpRanges RANGES =
      IpRanges.of(
          List.of(
              range("2001:db8:1000::", "2001:db8:1fff:ffff:ffff:ffff:ffff:ffff", TOKYO),
              range("192.0.2.0", "192.0.2.63", PARIS),
              range("192.0.2.64", "192.0.2.64", BERLIN),
              range("198.51.100.0", "198.51.100.255", SINGAPORE)));

  static IpRange range(String first, String last, Geo geo) {
    return new IpRange(
        IpAddress.parse(first).orElseThrow(), IpAddress.parse(last).orElseThrow(), geo);
  }

  @Test
  void findsTheFirstAndLastAddressOfARangeAndNothingJustOutside() {
    assertEquals(PARIS, RANGES.lookup("192.0.2.0"));
    assertEquals(PARIS, RANGES.lookup("192.0.2.63"));
    assertEquals(BERLIN, RANGES.lookup("192.0.2.64"), "a range of one address");
    assertEquals(Geo.UNKNOWN_GEO, RANGES.lookup("192.0.2.65"), "one past the end, in a gap");
    assertEquals(Geo.UNKNOWN_GEO, RANGES.lookup("192.0.1.255"), "one before the first range");
    assertEquals(SINGAPORE, RANGES.lookup("198.51.100.255"));
    assertEquals(Geo.UNKNOWN_GEO, RANGES.lookup("198.51.101.0"), "one past the last IPv4 range");
  }

  @Test
  void findsIpv6RangesAtTheirEdges() {
    assertEquals(TOKYO, RANGES.lookup("2001:db8:1000::"));
    assertEquals(TOKYO, RANGES.lookup("2001:db8:1abc::42"));
    assertEquals(TOKYO, RANGES.lookup("2001:db8:1fff:ffff:ffff:ffff:ffff:ffff"));
    assertEquals(Geo.UNKNOWN_GEO, RANGES.lookup("2001:db8:2000::"));
    assertEquals(Geo.UNKNOWN_GEO, RANGES.lookup("2001:db8:fff:ffff:ffff:ffff:ffff:ffff"));
    assertEquals(Geo.UNKNOWN_GEO, RANGES.lookup("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  }

  @Test
  void anIpv4MappedIpv6AddressIsTheIpv4Client() {
    assertEquals(PARIS, RANGES.lookup("::ffff:192.0.2.10"));
    assertEquals(BERLIN, RANGES.lookup("::ffff:c000:240"));
  }

  @Test
  void malformedEmptyAndMissingAddressesAreUnknownNotNull() {
    for (String ip :
        new String[] {null, "", "not-an-ip", "192.0.2", "192.0.2.300", "2001:db8::g"}) {
      assertEquals(new Geo("unknown", "unknown", "unknown"), RANGES.lookup(ip), ip);
    }
  }

  @Test
  void aMissingStateIsUnknownToo() {
    assertEquals("unknown", RANGES.lookup("198.51.100.7").state());
  }

  @Test
  void anEmptyTableKnowsNoAddress() {
    assertEquals(Geo.UNKNOWN_GEO, IpRanges.of(List.of()).lookup("192.0.2.1"));
  }

  @Test
  void refusesOverlappingAndBackwardRanges() {
    IllegalArgumentException overlap =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                IpRanges.of(
                    List.of(
                        range("192.0.2.0", "192.0.2.63", PARIS),
                        range("192.0.2.63", "192.0.2.100", BERLIN))));
    assertEquals(
        "Invalid IP range 192.0.2.63 - 192.0.2.100 (Germany, Berlin, Berlin): it overlaps"
            + " 192.0.2.0 - 192.0.2.63 (France, Île-de-France, Paris)",
        overlap.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> IpRanges.of(List.of(range("192.0.2.9", "192.0.2.8", PARIS))));
  }

  @Test
  void hostsCompareCaseInsensitivelyAndUnknownHostsAreUnknown() {
    Site academy = new Site("Example Academy", "web-platform", "production");
    Dimensions dims =
        new Dimensions(RANGES, java.util.Map.of("www.example-academy.io", academy), "v1");
    assertEquals(academy, dims.site("WWW.Example-Academy.io"));
    assertEquals(new Site("unknown", "unknown", "unknown"), dims.site("elsewhere.io"));
    assertEquals(Site.UNKNOWN_SITE, dims.site(null));
  }
}
