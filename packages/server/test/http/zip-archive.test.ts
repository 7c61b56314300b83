import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import type { PlannedFile } from '../../src/catalog/downloads.js';
import { buildZip, READ_CHUNK_BYTES } from '../../src/http/zip-archive.js';
import { SYSTEM_PYTHON } from '../support/fixtures.js';
import { parseCsv, unzip } from './support/unzip.js';

const dir = mkdtempSync(join(tmpdir(), 'aims-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: Buffer): { path: string; content: Buffer } {
  const path = join(dir, name);
  writeFileSync(path, content);
  return { path, content };
}

function member(name: string, path: string, sha = '0'.repeat(64)): PlannedFile {
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

  it('sends the bytes of a file rewritten in place, hashed as sent: the manifest does not repeat the catalog', async () => {
    const before = Buffer.alloc(3 * 2880, 2);
    const d = file('d.fits', before);
    const m = member('d.fits', d.path, sha256(before));
    // Same size, other content, after the archive was planned: a stored hash would now be a lie.
    const after = Buffer.alloc(before.length, 5);
    const fd = openSync(d.path, 'r+');
    writeSync(fd, after, 0, after.length, 0);
    closeSync(fd);
    const zip = buildZip([m], []);
    const entries = await unzip(await collect(zip.stream));
    expect(entries[0]!.data.equals(after)).toBe(true);
    const row = parseCsv(entries[1]!.data.toString())[1]!;
    expect(row[3]).toBe(sha256(after));
    expect(row[4]).toBe(sha256(before));
  });

  it('reads large files in chunks (CRC-32 and SHA-256 across chunk boundaries)', async () => {
    // Not a multiple of the chunk size, and every byte position distinct, so a chunk sent twice,
    // skipped or out of order changes the CRC-32 and the SHA-256.
    const content = Buffer.alloc(2 * READ_CHUNK_BYTES + 12_344);
    for (let i = 0; i < content.length; i += 4) content.writeUInt32LE(Math.imul(i, 2654435761) >>> 0, i);
    const big = file('big.fits', content);
    const zip = buildZip([member('big.fits', big.path), member('b.fits', b.path)], []);
    const bytes = await collect(zip.stream);
    expect(bytes.length).toBe(zip.size);
    const entries = await unzip(bytes);
    expect(entries[0]!.data.equals(content)).toBe(true);
    expect((await zip.done).sha256).toEqual([sha256(content), sha256(b.content)]);
  });

  it('closes the file and rejects `done` when the client goes away mid-file', async () => {
    const big = file('away.fits', Buffer.alloc(3 * READ_CHUNK_BYTES, 3));
    const handles: FileHandle[] = [];
    let markClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => {
      markClosed = resolve;
    });
    const m: PlannedFile = {
      ...member('away.fits', big.path),
      open: async () => {
        const handle = await open(big.path, 'r');
        handles.push(handle);
        const close = handle.close.bind(handle);
        handle.close = async () => {
          await close();
          markClosed();
        };
        return handle;
      },
    };
    const zip = buildZip([m], []);
    for await (const chunk of zip.stream) {
      expect((chunk as Buffer).length).toBeGreaterThan(0);
      zip.stream.destroy();
      break;
    }
    await expect(zip.done).rejects.toThrow(/interrupted/);
    // Never closed: the test times out.
    await closed;
    expect(handles).toHaveLength(1);
    // A closed FileHandle reports the descriptor -1.
    expect(handles[0]!.fd).toBe(-1);
  });

  const hasUnzip = spawnSync('unzip', ['-v']).status === 0;
  const hasPython = existsSync(SYSTEM_PYTHON);
  for (const forceZip64 of [false, true])
    it.skipIf(!hasUnzip || !hasPython)(
      `is read by Info-ZIP unzip and Python's zipfile${forceZip64 ? ' (ZIP64 forced)' : ''}${hasUnzip && hasPython ? '' : ' (skipped: unzip or /usr/bin/python3 missing)'}`,
      async () => {
        const zip = buildZip(
          [member('a.fits', a.path), member('dir/ünïcode b.fits', b.path), member('empty.fits', empty.path)],
          [],
          { forceZip64 },
        );
        const path = join(dir, `readers-${forceZip64}.zip`);
        writeFileSync(path, await collect(zip.stream));
        const test = spawnSync('unzip', ['-tq', path], { encoding: 'utf8' });
        expect(test.stdout).toContain('No errors detected');
        const listing = spawnSync(
          SYSTEM_PYTHON,
          [
            '-c',
            'import json, sys, zipfile\n' +
              'z = zipfile.ZipFile(sys.argv[1])\n' +
              'print(json.dumps([z.testzip(), [[i.filename, i.file_size, i.compress_type] for i in z.infolist()]]))',
            path,
          ],
          { encoding: 'utf8' },
        );
        expect(listing.stderr).toBe('');
        const [bad, infos] = JSON.parse(listing.stdout) as [string | null, Array<[string, number, number]>];
        expect(bad).toBeNull();
        expect(infos.slice(0, 3)).toEqual([
          ['a.fits', a.content.length, 0],
          ['dir/ünïcode b.fits', b.content.length, 0],
          ['empty.fits', 0, 0],
        ]);
      },
    );
});
