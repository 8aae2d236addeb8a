/**
 * Entry sizes in power-of-two buckets: bucket k counts sizes in (2^(k−1), 2^k], so a glance shows whether a log is
 * made of 30-byte proposals or 1 MiB blobs. Fixed memory: one counter per power of two.
 */

export interface HistogramBucket {
  /** the bucket's upper bound, inclusive (a power of two); the lower bound is the previous bucket's, exclusive */
  maxBytes: number;
  count: number;
}

export class SizeHistogram {
  private readonly counts: number[] = [];

  add(size: number): void {
    const k = size <= 1 ? 0 : size <= 0x80000000 ? 32 - Math.clz32(size - 1) : Math.ceil(Math.log2(size));
    this.counts[k] = (this.counts[k] ?? 0) + 1;
  }

  merge(other: SizeHistogram): void {
    other.counts.forEach((count, k) => {
      if (count) this.counts[k] = (this.counts[k] ?? 0) + count;
    });
  }

  /** The non-empty buckets, smallest first. */
  buckets(): HistogramBucket[] {
    const out: HistogramBucket[] = [];
    this.counts.forEach((count, k) => {
      if (count) out.push({ maxBytes: 2 ** k, count });
    });
    return out;
  }
}
