#!/usr/bin/env node
// The `aims` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare) and
// `npm run build`, which also bundle the CLI and its worker threads into bundle/
// (scripts/bundle-server.mjs: one start loads a few files instead of some four hundred modules).
// This file only hands over to the bundle, or to dist/ when there is none or it is older than the
// last compile (a `tsc -b` alone does not bundle).
import { statSync } from 'node:fs';

const modifiedMs = (path) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
const bundledMs = modifiedMs('../bundle/aims.js');
const compiledMs = Math.max(
  modifiedMs('../tsconfig.tsbuildinfo') ?? 0,
  modifiedMs('../../fits/tsconfig.tsbuildinfo') ?? 0,
);
const { main } = await import(
  bundledMs !== undefined && bundledMs >= compiledMs ? '../bundle/aims.js' : '../dist/cli/main.js'
);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`aims: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
