import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { buildZip, type ZipMember } from '../../src/http/zip-archive.js';
import { parseCsv, unzip } from './support/unzip.js';

const dir = mkdtempSync(join(tmpdir(), 'aims-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: Buffer): { path: string; content: Buffer } {
  const path = join(dir, name);
  writeFileSync(path, content);
  return { path, content };
}

function member(name: string, path: string, sha = '0'.repeat(64)): ZipMember {
  const { size, mtime } = statSync(path);
  return { name, size, mtime, catalogSha256: sha, metadata: [name.length], open: () => open(path, 'r') };
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('streamed ZIP', () => {
  const a = file('a.fits', Buffer.alloc(2880 * 3, 7));
  const b = file('b.fits', Buffer.from('SIMPLE  =                    T'.padEnd(2880, ' ')));
  const empty = file('empty.fits', Buffer.alloc(0));

  for (const forceZip64 of [false, true])
    it(`knows its exact size ahead and round-trips through yauzl${forceZip64 ? ' (ZIP64 forced)' : ''}`, async () => {
      const zip = buildZip(
        [member('a.fits', a.path, sha256(a.content)), member('dir/b.fits', b.path), member('empty.fits', empty.path)],
        ['name_length'],
        { forceZip64 },
      );
      const bytes = await collect(zip.stream);
      expect(bytes.length).toBe(zip.size);
      const done = await zip.done;
      expect(done.bytes).toBe(zip.size);
      expect(done.sha256).toEqual([sha256(a.content), sha256(b.content), sha256(empty.content)]);
      const entries = await unzip(bytes);
      expect(entries.map((e) => [e.name, e.size, e.compressionMethod])).toEqual([
        ['a.fits', a.content.length, 0],
        ['dir/b.fits', b.content.length, 0],
        ['empty.fits', 0, 0],
        ['manifest.csv', entries[3]!.data.length, 0],
      ]);
      expect(entries[0]!.data.equals(a.content)).toBe(true);
      const manifest = parseCsv(entries[3]!.data.toString());
      expect(manifest[0]).toEqual(['name', 'status', 'size_bytes', 'sha256', 'catalog_sha256', 'name_length']);
      expect(manifest[1]).toEqual([
        'a.fits',
        'ok',
        String(a.content.length),
        sha256(a.content),
        sha256(a.content),
        '6',
      ]);
      expect(manifest[2]![3]).toBe(sha256(b.content));
    });

  it('switches to ZIP64 by itself past 65,535 entries', async () => {
    // Empty members keep this fast: the point is the entry count, not the bytes.
    const members = Array.from({ length: 65_536 }, (_, i) => member(`f${i}.fits`, empty.path));
    const zip = buildZip(members, []);
    const bytes = await collect(zip.stream);
    expect(bytes.length).toBe(zip.size);
    // The ZIP64 end-of-central-directory record (signature 0x06064b50) is there.
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    // yauzl reads the entry count from the ZIP64 end record (the classic one says 0xffff).
    const entryCount = await new Promise<number>((resolve, reject) =>
      yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) =>
        err || !zip ? reject(err) : resolve(zip.entryCount),
      ),
    );
    expect(entryCount).toBe(65_537);
  }, 300_000);

  it('fails the archive (not silently corrupts it) when a file changed length', async () => {
    const c = file('c.fits', Buffer.alloc(5760, 1));
    const m = member('c.fits', c.path);
    writeFileSync(c.path, Buffer.alloc(2880, 1));
    const zip = buildZip([m], []);
    await expect(collect(zip.stream)).rejects.toThrow(/unexpected number of bytes/);
    await expect(zip.done).rejects.toThrow();
  });
});
