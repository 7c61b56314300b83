#!/usr/bin/env node
// The web client's API types, generated from the server's OpenAPI document with openapi-typescript.
//
//   node scripts/api-types.mjs           rewrite packages/web/src/api/schema.gen.ts
//   node scripts/api-types.mjs --check   fail (exit 1) when the committed file differs (npm run lint)
//   node scripts/api-types.mjs --openapi print the OpenAPI document
//
// The document comes from the app itself, built but never listening, on a throw-away SQLite catalog:
// the same schemas that validate requests. Needs the built server (`npm run build:lib`).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';

const root = new URL('../', import.meta.url);
const target = new URL('packages/web/src/api/schema.gen.ts', root);
const dist = new URL('packages/server/dist/', root);
if (!existsSync(new URL('http/app.js', dist))) {
  console.error('api-types: build the server first (`npm run build:lib`)');
  process.exit(2);
}
const { buildApp } = await import(new URL('http/app.js', dist).href);
const { loadConfig } = await import(new URL('config/config.js', dist).href);
const { openDatabase } = await import(new URL('db/connection.js', dist).href);

const HEADER = `/**
 * Generated from the server's OpenAPI document by scripts/api-types.mjs (openapi-typescript).
 * Do not edit: change the server's schemas and run \`npm run api:types\`; \`npm run lint\` fails while
 * this file is stale.
 */
`;

async function openapiDocument() {
  const dataDir = mkdtempSync(join(tmpdir(), 'aims-openapi-'));
  const url = `sqlite:${join(dataDir, 'aims.db')}`;
  const database = await openDatabase(url);
  try {
    const config = loadConfig({ AIMS_DATA_DIR: dataDir, AIMS_LOG_LEVEL: 'silent' }, { databaseUrl: url });
    const app = await buildApp({ config, database, jwtSecret: 'x'.repeat(64), version: '0.0.0', logger: false });
    await app.ready();
    const document = app.swagger();
    await app.close();
    return document;
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const document = await openapiDocument();
if (process.argv.includes('--openapi')) {
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  process.exit(0);
}
const text = HEADER + astToString(await openapiTS(document, { alphabetize: false }));

if (process.argv.includes('--check')) {
  const committed = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (committed !== text) {
    console.error(
      'api-types: packages/web/src/api/schema.gen.ts is stale (the server API changed); run `npm run api:types`',
    );
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log('api-types: wrote packages/web/src/api/schema.gen.ts');
}
