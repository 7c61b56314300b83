#!/usr/bin/env node
// Bundles the compiled `aims` CLI and its worker threads into packages/server/bundle/ (run by
// `npm run build:lib`, after tsc). Node loads an ES module graph file by file: the CLI's
// ~400 modules (Kysely alone ships 262) took 0.15–0.2 s of CPU at every start of `aims ingest`,
// as long as the catalog writes of 300 frames; bundled they load in a few milliseconds.
//
// Only our own code, Kysely and @aims/fits are bundled; other packages stay in node_modules
// (native addons, CommonJS with dynamic requires). The entry points keep their file names in one
// folder: the code finds its worker scripts as `new URL('./frame.worker.js', import.meta.url)`,
// which from any chunk of the bundle names the bundled worker beside it. The folder sits at the
// depth of dist/, so `../package.json` and `../../web/dist` (main.ts) resolve as they do there.
// bin/aims.js uses the bundle only when it is newer than the last compile.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const server = join(dirname(fileURLToPath(import.meta.url)), '../packages/server');
const dist = join(server, 'dist');
const out = join(server, 'bundle');
const BUNDLED_PACKAGES = new Set(['kysely', '@aims/fits']);

rmSync(out, { recursive: true, force: true });
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // A node_modules from before esbuild was a dependency: the CLI runs from dist/ as before.
  console.warn('bundle-server: esbuild is not installed (npm install); aims runs from dist/ unbundled');
  process.exit(0);
}

await esbuild.build({
  entryPoints: {
    aims: join(dist, 'cli/main.js'),
    'frame.worker': join(dist, 'ingest/frame.worker.js'),
    'preview.worker': join(dist, 'catalog/preview.worker.js'),
    'soda.worker': join(dist, 'vo/soda.worker.js'),
    'analyze.worker': join(dist, 'db/analyze.worker.js'),
    'checkpoint.worker': join(dist, 'db/checkpoint.worker.js'),
    'sqlite-query.worker': join(dist, 'db/adql/sqlite-query.worker.js'),
  },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Not keepNames: it wraps every function expression in a call that sets its `name`, each time the
  // expression runs, so a closure made per call (ingest/normalize/ephemeris.ts `interpolated`) paid
  // Object.defineProperty each time: 33 ms of a 2,000-frame `aims ingest`'s frame thread in that
  // helper alone. No code reads a function's or class's name (errors set their own `name`); a
  // function esbuild renamed to avoid a clash shows as `ok2` in a stack trace, nothing more.
  keepNames: false,
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-packages',
      setup(build) {
        build.onResolve({ filter: /^[^./]/ }, (args) => {
          const parts = args.path.split('/');
          const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
          return BUNDLED_PACKAGES.has(name) ? undefined : { external: true };
        });
      },
    },
  ],
});
