#!/usr/bin/env node
// Header parse rate of @aims/fits against astropy, in the same run, over every fixture.
// Build first (`npx tsc -b packages/fits packages/server`). Environment: AIMS_BENCH_ROUNDS (default 20).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bufferSource, readStructure } from '../packages/fits/dist/index.js';
import { openFits } from '../packages/fits/dist/node.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixturesDir = resolve(root, '../shared/fixtures');
const rounds = Number(process.env.AIMS_BENCH_ROUNDS ?? 20);
const python = '/usr/bin/python3';

function walk(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return walk(path);
      return name.endsWith('.md') ? [] : [path];
    });
}

const files = walk(fixturesDir);
const fileBytes = files.reduce((n, f) => n + statSync(f).size, 0);

// Warm up, and measure how many header bytes there are (what is really parsed).
let headerBytes = 0;
let hdus = 0;
for (const f of files) {
  const fits = await openFits(f);
  await fits.close();
  for (const h of fits.structure.hdus) headerBytes += h.dataOffset - h.headerOffset;
  hdus += fits.structure.hdus.length;
}

function report(label, seconds) {
  const n = files.length * rounds;
  const line = [
    label.padEnd(34),
    `${(n / seconds).toFixed(0).padStart(7)} files/s`,
    `${((headerBytes * rounds) / seconds / 1e6).toFixed(1).padStart(7)} MB/s of headers`,
    `${((fileBytes * rounds) / seconds / 1e6).toFixed(0).padStart(7)} MB/s of files`,
  ].join('  ');
  console.log(line);
  return n / seconds;
}

console.log(
  `${files.length} fixtures (${(fileBytes / 1e6).toFixed(1)} MB, ${hdus} HDUs, ${(headerBytes / 1e6).toFixed(2)} MB of headers) x ${rounds} rounds`,
);

// 1. From disk, as ingest does: open, walk every HDU (headers only, gzip decompressed), close.
let t = performance.now();
for (let r = 0; r < rounds; r++) {
  for (const f of files) {
    const fits = await openFits(f);
    await fits.close();
  }
}
const oursDisk = report('@aims/fits openFits (disk)', (performance.now() - t) / 1000);

// 2. In memory: the parser alone (gzip files excluded: they need the Node source).
const buffers = files.map((f) => readFileSync(f)).filter((b) => !(b[0] === 0x1f && b[1] === 0x8b));
t = performance.now();
let memoryHeaderBytes = 0;
for (let r = 0; r < rounds; r++) {
  for (const b of buffers) {
    const s = await readStructure(bufferSource(new Uint8Array(b.buffer, b.byteOffset, b.length)));
    if (r === 0) for (const h of s.hdus) memoryHeaderBytes += h.dataOffset - h.headerOffset;
  }
}
const memorySeconds = (performance.now() - t) / 1000;
console.log(
  `${'@aims/fits readStructure (memory)'.padEnd(34)}  ${((buffers.length * rounds) / memorySeconds).toFixed(0).padStart(7)} files/s  ${((memoryHeaderBytes * rounds) / memorySeconds / 1e6).toFixed(1).padStart(7)} MB/s of headers`,
);

// 3. astropy: fits.open and every card of every header parsed (value and comment).
const script = `
import sys, time, warnings
from astropy.io import fits
warnings.simplefilter('ignore')
files = sys.argv[2:]
rounds = int(sys.argv[1])
def once():
    for f in files:
        with fits.open(f, ignore_missing_end=True, memmap=False) as hdul:
            for hdu in hdul:
                for card in hdu.header.cards:
                    card.value; card.comment
once()
t = time.perf_counter()
for _ in range(rounds):
    once()
print(time.perf_counter() - t)
`;
const astropy = spawnSync(python, ['-c', script, String(rounds), ...files], { encoding: 'utf8' });
if (astropy.status !== 0) {
  console.log(`astropy: not measured (${astropy.stderr.trim().split('\n').at(-1)})`);
} else {
  const theirs = report('astropy fits.open + every card', Number(astropy.stdout.trim()));
  console.log(`ratio (files/s, disk): @aims/fits is ${(oursDisk / theirs).toFixed(1)}x astropy`);
}
