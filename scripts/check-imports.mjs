#!/usr/bin/env node
// Holds the direction of imports between the folders described in docs/architecture.md:
//   analysis ← catalog ← ingest; catalog/auth → db; vo → catalog; http → vo/catalog/auth; main/cli → all
// (the table below says exactly what each folder may use)
// and forbids import cycles between modules. Exits 1 with one line per violation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);

/** For each folder (relative to packages/), the folders of this repository it may import from. */
const allowed = {
  'fits/src': [],
  'server/src/config': [],
  'server/src/util': [],
  'server/src/domain': [],
  'server/src/db': ['server/src/config', 'server/src/util', 'server/src/domain'],
  'server/src/analysis': ['fits', 'server/src/util', 'server/src/domain'],
  'server/src/ingest': [
    'fits',
    'server/src/analysis',
    'server/src/catalog',
    'server/src/db',
    'server/src/config',
    'server/src/util',
    'server/src/domain',
  ],
  'server/src/catalog': [
    'fits',
    'server/src/analysis',
    'server/src/db',
    'server/src/config',
    'server/src/util',
    'server/src/domain',
  ],
  // IVOA protocols (SIA now; TAP and DataLink later): parameters, geometry, VOTables over the catalog.
  'server/src/vo': [
    'fits',
    'server/src/catalog',
    'server/src/db',
    'server/src/config',
    'server/src/util',
    'server/src/domain',
  ],
  'server/src/auth': ['server/src/db', 'server/src/config', 'server/src/util', 'server/src/domain'],
  'server/src/http': [
    'fits',
    'server/src/analysis',
    'server/src/catalog',
    'server/src/vo',
    'server/src/auth',
    'server/src/db',
    'server/src/ingest',
    'server/src/config',
    'server/src/util',
    'server/src/domain',
  ],
  'server/src/cli': ['*'],
  'server/src': ['*'],
  // The UI reads world coordinates with the browser-capable FITS core; everything else goes over HTTP.
  'web/src': ['fits'],
};
// Node built-ins the browser-capable FITS core must not use.
const fitsForbidden = /^(node:)?(fs|path|zlib|child_process|worker_threads|os|net|http)(\/|$)/;

function walk(dir, files = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, files);
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

function areaOf(file) {
  const rel = relative(join(root, 'packages'), file).split('\\').join('/');
  let best = '';
  for (const area of Object.keys(allowed))
    if ((rel === area || rel.startsWith(`${area}/`)) && area.length > best.length) best = area;
  return best;
}

const importRe = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const violations = [];
const graph = new Map();
const files = walk(join(root, 'packages')).filter((f) => /\/(src)\//.test(f));

for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const from = areaOf(file);
  const rel = relative(root, file);
  const edges = [];
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2];
    let target;
    if (spec.startsWith('.')) {
      target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      edges.push(target);
      const to = areaOf(target);
      if (to && to !== from && !(allowed[from] ?? []).some((a) => a === '*' || to === a || to.startsWith(`${a}/`))) {
        violations.push(`${rel}: ${from} must not import ${to} (${spec})`);
      }
    } else if (spec.startsWith('@aims/')) {
      const pkg = spec.slice(6).split('/')[0];
      if (!(allowed[from] ?? []).some((a) => a === '*' || a === pkg))
        violations.push(`${rel}: ${from} must not import ${spec}`);
    } else if (from === 'fits/src' && fitsForbidden.test(spec) && !file.endsWith('/node.ts')) {
      violations.push(`${rel}: the FITS core imports ${spec}; only src/node.ts may touch Node built-ins`);
    } else if (from === 'fits/src' && !spec.startsWith('node:') && !file.endsWith('/node.ts')) {
      violations.push(`${rel}: the FITS core has no runtime dependencies, but imports ${spec}`);
    }
  }
  graph.set(file.replace(/\.tsx?$/, '.ts'), edges);
}

// Cycles: depth-first search over relative imports, ignoring type-only imports is not possible from
// text alone, so `import type` lines are left out of the graph.
const typeOnly = /(?:^|\n)\s*import\s+type\s[^'"]*?from\s+['"]([^'"]+)['"]/g;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const types = new Set([...text.matchAll(typeOnly)].map((m) => resolve(dirname(file), m[1]).replace(/\.js$/, '.ts')));
  const key = file.replace(/\.tsx?$/, '.ts');
  graph.set(
    key,
    (graph.get(key) ?? []).filter((t) => !types.has(t)),
  );
}
const state = new Map();
function visit(node, stack) {
  state.set(node, 1);
  stack.push(node);
  for (const next of graph.get(node) ?? []) {
    if (state.get(next) === 1) {
      const cycle = stack
        .slice(stack.indexOf(next))
        .concat(next)
        .map((f) => relative(root, f));
      violations.push(`import cycle: ${cycle.join(' → ')}`);
    } else if (!state.has(next) && graph.has(next)) visit(next, stack);
  }
  stack.pop();
  state.set(node, 2);
}
for (const node of graph.keys()) if (!state.has(node)) visit(node, []);

for (const v of violations) console.error(v);
if (violations.length) {
  console.error(`${violations.length} import rule violation(s)`);
  process.exit(1);
}
console.log(`imports ok (${files.length} files)`);
