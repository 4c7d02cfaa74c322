package io.webtraffic.generate;

import java.util.SplittableRandom;

/** The last few VALID records, from which a DUPLICATE re-sends one as a producer retry would. */
final class ResendBuffer {
  private final GeneratedRecord[] recent;
  private int size;
  private int next;

  ResendBuffer(int capacity) {
    this.recent = new GeneratedRecord[capacity];
  }

  void add(GeneratedRecord valid) {
    recent[next] = valid;
    next = (next + 1) % recent.length;
    size = Math.min(size + 1, recent.length);
  }

  boolean isEmpty() {
    return size == 0;
  }

  GeneratedRecord pick(SplittableRandom random) {
    return recent[random.nextInt(size)];
  }
}
