import { performance } from 'node:perf_hooks';

// process.hrtime reads CLOCK_MONOTONIC, which every process on the machine shares;
// performance.now() reads the same clock from this process's origin, and costs less per call.
const OFFSET_US = Number(process.hrtime.bigint() / 1_000n) - performance.now() * 1_000;

/**
 * Microseconds on the machine's monotonic clock: comparable across the processes of one
 * machine (the publisher stamps a message, a client process subtracts on receipt).
 */
export function nowUs(): number {
  return performance.now() * 1_000 + OFFSET_US;
}

/** Field of a price update's `data` that carries its publish time (monotonic µs, an integer). */
export const PUBLISHED_FIELD = 'publishedUs';

const MARKER = Buffer.from(`"${PUBLISHED_FIELD}":`);
const ZERO = 0x30;
const NINE = 0x39;

/**
 * The publish time carried in a frame (`..."publishedUs":123...`), read without parsing the
 * JSON: the same cheap read for every side, so the load generator costs the same per delivery.
 * Returns -1 when the frame carries none (a control frame).
 */
export function readPublishedUs(frame: Buffer): number {
  const at = frame.indexOf(MARKER);
  if (at < 0) return -1;
  let value = 0;
  for (let i = at + MARKER.length; i < frame.length; i++) {
    const byte = frame[i] as number;
    if (byte < ZERO || byte > NINE) break;
    value = value * 10 + (byte - ZERO);
  }
  return value;
}
