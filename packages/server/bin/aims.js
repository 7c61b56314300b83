#!/usr/bin/env node
// The `aims` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare) and
// `npm run build`; this file only hands over to the compiled CLI.
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`aims: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
