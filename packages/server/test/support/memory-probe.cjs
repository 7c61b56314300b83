/**
 * Preloaded into a process under test (NODE_OPTIONS="--expose-gc --require …/memory-probe.cjs",
 * AIMS_MEMORY_PROBE=FILE): every AIMS_MEMORY_PROBE_MS (default 2000) its main thread collects
 * garbage and appends one JSON line {t, rss, heapUsed, external} to FILE. The soak test reads the
 * lines to tell whether the server's memory grew.
 */
const { appendFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

const file = process.env.AIMS_MEMORY_PROBE;
if (file && isMainThread && typeof global.gc === 'function') {
  const every = Number(process.env.AIMS_MEMORY_PROBE_MS) || 2000;
  setInterval(() => {
    global.gc();
    const m = process.memoryUsage();
    appendFileSync(
      file,
      `${JSON.stringify({ t: Date.now(), rss: m.rss, heapUsed: m.heapUsed, external: m.external })}\n`,
    );
  }, every).unref();
}
