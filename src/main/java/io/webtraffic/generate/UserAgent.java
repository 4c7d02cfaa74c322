package io.webtraffic.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A parsed user agent as producers send it: ua-parser's family, version, device and OS. Browsers
 * and bots are kept apart so a kept page view can never look like a bot to the pipeline's filter.
 */
record UserAgent(
    String family, String major, String minor, String patch, String device, String os) {

  /** Browsers weighted roughly like a developer-education site's traffic. */
  private static final List<UserAgent> BROWSERS =
      weighted(
          20, new UserAgent("Chrome", "131", "0", "6778", "Other", "Windows"),
          10, new UserAgent("Chrome", "131", "0", "6778", "Other", "Mac OS X"),
          3, new UserAgent("Chrome", "130", "0", "6723", "Other", "Linux"),
          8, new UserAgent("Chrome Mobile", "131", "0", "6778", "Pixel 8", "Android"),
          5, new UserAgent("Chrome Mobile", "130", "0", "6723", "Samsung SM-S921B", "Android"),
          14, new UserAgent("Mobile Safari", "18", "1", null, "iPhone", "iOS"),
          3, new UserAgent("Mobile Safari", "17", "6", null, "iPad", "iOS"),
          8, new UserAgent("Safari", "18", "1", null, "Other", "Mac OS X"),
          6, new UserAgent("Firefox", "133", "0", null, "Other", "Windows"),
          3, new UserAgent("Firefox", "132", "0", null, "Other", "Ubuntu"),
          8, new UserAgent("Edge", "131", "0", "2903", "Other", "Windows"));

  /** Crawlers and scripted clients: what a bot filter rule matches. */
  private static final List<UserAgent> BOTS =
      List.of(
          new UserAgent("Googlebot", "2", "1", null, "Spider", "Other"),
          new UserAgent("bingbot", "2", "0", null, "Spider", "Other"),
          new UserAgent("curl", "8", "5", "0", "Other", "Other"),
          new UserAgent("python-requests", "2", "32", "3", "Other", "Other"));

  static UserAgent browser(SplittableRandom random) {
    return BROWSERS.get(random.nextInt(BROWSERS.size()));
  }

  static UserAgent bot(SplittableRandom random) {
    return BOTS.get(random.nextInt(BOTS.size()));
  }

  static List<String> botFamilies() {
    return BOTS.stream().map(UserAgent::family).toList();
  }

  /** Identifies the agent within a dedup key, whichever producer generation serializes it. */
  String identity() {
    return family + '/' + major + '.' + minor + '.' + patch + '/' + device + '/' + os;
  }

  private static List<UserAgent> weighted(Object... weightThenAgent) {
    List<UserAgent> agents = new ArrayList<>();
    for (int i = 0; i < weightThenAgent.length; i += 2) {
      agents.addAll(
          Collections.nCopies((Integer) weightThenAgent[i], (UserAgent) weightThenAgent[i + 1]));
    }
    return List.copyOf(agents);
  }
}
