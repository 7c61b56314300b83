/**
 * The memory that pixel analysis may hold at once, shared by every worker thread of a process.
 *
 * Each worker measures a frame with about BYTES_PER_PIXEL bytes per pixel (pixels, raw bytes,
 * background-subtracted copy, labels, masks). Without a shared bound, N workers that pick up N
 * large frames at the same time hold N times that; with it, a frame waits until the memory it
 * needs is free, and a frame larger than the whole budget is measured in bands that fit
 * (analyzeHdu's `maxPixels`). Small frames take a small share and rarely wait.
 *
 * The budget is one counter of free kilobytes in a SharedArrayBuffer. Jobs carry the buffer to the
 * worker threads (structured clone shares it), and Atomics make the take-and-give-back exact across
 * threads. Waiting is asynchronous (Atomics.waitAsync), so jobs that run on the calling thread
 * never block its event loop.
 */

/**
 * Bytes a worker holds per pixel of a frame measured whole, with its previews: measured with
 * frames of 26 and 49 Mpx (docs/performance.md, "Memory"), rounded up.
 */
export const BYTES_PER_PIXEL = 14;

const KB = 1024;

/** Atomics.waitAsync (Node 16 and later), which the ES2023 library types do not declare yet. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(cells: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

export interface MemoryBudget {
  /** Int32 [0]: free kilobytes; [1]: the whole budget in kilobytes. */
  readonly buffer: SharedArrayBuffer;
}

export function createMemoryBudget(bytes: number): MemoryBudget {
  if (!(Number.isFinite(bytes) && bytes >= KB)) throw new RangeError(`memory budget of ${bytes} bytes`);
  const buffer = new SharedArrayBuffer(8);
  const cells = new Int32Array(buffer);
  const kb = Math.min(2 ** 31 - 1, Math.floor(bytes / KB));
  cells[0] = kb;
  cells[1] = kb;
  return { buffer };
}

/** The whole budget in bytes. */
export function budgetBytes(budget: MemoryBudget): number {
  return Atomics.load(new Int32Array(budget.buffer), 1) * KB;
}

/** Free bytes now (for tests and health figures; stale as soon as it is read). */
export function freeBytes(budget: MemoryBudget): number {
  return Atomics.load(new Int32Array(budget.buffer), 0) * KB;
}

/**
 * Takes `bytes` (at most the whole budget) once that much is free; resolves to the function that
 * gives it back. Call the release exactly once, also when the work failed. With `held` (a job's
 * own Int32 cell), what is taken is recorded there too, so that reclaimMemory can give it back
 * when the thread holding it is stopped before it could.
 */
export async function acquireMemory(
  budget: MemoryBudget,
  bytes: number,
  held?: SharedArrayBuffer,
): Promise<() => void> {
  const cells = new Int32Array(budget.buffer);
  const want = Math.max(1, Math.min(Atomics.load(cells, 1), Math.ceil(bytes / KB)));
  for (;;) {
    const free = Atomics.load(cells, 0);
    if (free >= want) {
      if (Atomics.compareExchange(cells, 0, free, free - want) === free) break;
      continue;
    }
    // Sleeps until a release changes the counter (or it already has).
    const waiting = waitAsync(cells, 0, free);
    if (waiting.async) await waiting.value;
  }
  if (held) Atomics.add(new Int32Array(held), 0, want);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    // Whoever empties the job's cell first (this release or reclaimMemory) gives the memory back.
    const give = held ? Atomics.exchange(new Int32Array(held), 0, 0) : want;
    if (give <= 0) return;
    Atomics.add(cells, 0, give);
    Atomics.notify(cells, 0);
  };
}

/** Gives back what a job recorded in `held` and has not released (its thread was stopped). */
export function reclaimMemory(budget: MemoryBudget, held: SharedArrayBuffer): void {
  const give = Atomics.exchange(new Int32Array(held), 0, 0);
  if (give <= 0) return;
  const cells = new Int32Array(budget.buffer);
  Atomics.add(cells, 0, give);
  Atomics.notify(cells, 0);
}
