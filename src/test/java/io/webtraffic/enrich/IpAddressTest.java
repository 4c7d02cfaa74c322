package io.webtraffic.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Literal parsing only: every expected value below is the address's bits written out by hand. */
class IpAddressTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // IPv4 sits at ::ffff:a.b.c.d: lo = 0x0000_ffff_aabb_ccdd
    "192.0.2.1,           0x0000000000000000, 0x0000ffffc0000201",
    "0.0.0.0,             0x0000000000000000, 0x0000ffff00000000",
    "255.255.255.255,     0x0000000000000000, 0x0000ffffffffffff",
    "::ffff:192.0.2.1,    0x0000000000000000, 0x0000ffffc0000201",
    "::FFFF:c000:0201,    0x0000000000000000, 0x0000ffffc0000201",
    "2001:db8::1,         0x20010db800000000, 0x0000000000000001",
    "2001:DB8:0:0:0:0:0:1, 0x20010db800000000, 0x0000000000000001",
    "2001:db8:a::,        0x20010db8000a0000, 0x0000000000000000",
    "::,                  0x0000000000000000, 0x0000000000000000",
    "::1,                 0x0000000000000000, 0x0000000000000001",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, 0xffffffffffffffff, 0xffffffffffffffff",
    "1:2:3:4:5:6:7::,     0x0001000200030004, 0x0005000600070000",
    "64:ff9b::192.0.2.33, 0x0064ff9b00000000, 0x00000000c0000221"
  })
  void parsesLiterals(String text, String hi, String lo) {
    assertEquals(
        Optional.of(
            new IpAddress(
                Long.parseUnsignedLong(hi.substring(2), 16),
                Long.parseUnsignedLong(lo.substring(2), 16))),
        IpAddress.parse(text));
  }

  @ParameterizedTest(name = "''{0}''")
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "unknown",
        "localhost",
        "www.example-academy.io",
        "192.0.2",
        "192.0.2.1.5",
        "192.0.2.256",
        "192.0.2.-1",
        "192.0.2.01",
        "192.0.2.1 ",
        " 192.0.2.1",
        "192.0.2.1/24",
        "192.0.2.",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "1::2::3",
        ":::",
        "2001:db8::12345",
        "2001:db8::g",
        "2001:db8:::1",
        ":1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:",
        "fe80::1%eth0",
        "::ffff:192.0.2.256",
        "::192.0.2.1:5",
        "1:2:3:4:5:6:7:192.0.2.1",
        "１.２.３.４"
      })
  void refusesWhatIsNotALiteral(String text) {
    assertEquals(Optional.empty(), IpAddress.parse(text));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "192.0.2.1",
        "0.0.0.0",
        "::",
        "::1",
        "1::",
        "2001:db8::1",
        "2001:db8:1000::",
        "2001:db8:0:1::1",
        "2001:db8::1:0:0:1",
        "1:2:3:4:5:6:7:0",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
      })
  void printsCanonicalText(String canonical) {
    assertEquals(canonical, IpAddress.parse(canonical).orElseThrow().toString());
  }

  @org.junit.jupiter.api.Test
  void ordersIpv4BelowTheRestOfIpv6AndUnsigned() {
    IpAddress v4 = IpAddress.parse("255.255.255.255").orElseThrow();
    IpAddress top = IpAddress.parse("ffff::").orElseThrow();
    IpAddress doc = IpAddress.parse("2001:db8::").orElseThrow();
    assertTrue(v4.compareTo(doc) < 0);
    assertTrue(doc.compareTo(top) < 0, "compared unsigned: the high bit set is the largest");
  }
}
