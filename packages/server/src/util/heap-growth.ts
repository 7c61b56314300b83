import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full collection kept, in percent.
 * V8 picks the factor itself from its measured collection and allocation speeds, between 1.1 and
 * 4 for a heap limit of several GB, and before the first full collection from the young
 * generation's survival rate: in the memory bench's burst of 10,000 frames the main thread kept
 * 45-60 MB and its old space reached 100-133 MB of mostly garbage before a full collection, a
 * different amount in every run (the burst's peak varied from 312 to 466 MB). With 30 % the old
 * space stays within a third of what is live (at most 70 MB in the burst), for a full collection
 * every 11 s or so of ingest with a pause of 4-26 ms.
 */
export const HEAP_GROWING_PERCENT = 30;

/**
 * Bounds the growth of every V8 heap of this process (the main thread's and its worker threads'),
 * for the long-running `aims serve` and `aims worker`, which are held to a resident size. The flag
 * is read at every full collection, so setting it after start takes effect from the next one;
 * Node accepts no V8 heap flags in NODE_OPTIONS, and the server is started as `aims serve`.
 */
export function boundHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  setFlagsFromString(`--heap-growing-percent=${Math.trunc(percent)}`);
}
