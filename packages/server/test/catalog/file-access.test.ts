import { mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkIngestPath, locateInsideRoots, openLocated, resolveImageFile } from '../../src/catalog/file-access.js';
import { processFrame } from '../../src/ingest/frame.job.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aims-access-')));
const root = join(base, 'images');
const outside = join(base, 'elsewhere');
mkdirSync(join(root, 'night'), { recursive: true });
mkdirSync(outside);
writeFileSync(join(root, 'night', 'a.fits'), 'SIMPLE');
writeFileSync(join(outside, 'secret.fits'), 'SECRET');
// A legal name on Linux, where a backslash is no separator.
writeFileSync(join(root, 'night', '..\\..\\x.fits'), 'BACKSLASH');
symlinkSync(join(outside, 'secret.fits'), join(root, 'night', 'escape.fits'));
symlinkSync(join(root, 'night', 'a.fits'), join(root, 'night', 'alias.fits'));
symlinkSync(outside, join(root, 'linked'));
symlinkSync(join(outside, 'none.fits'), join(root, 'night', 'dangling.fits'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('files inside the image roots', () => {
  it('finds a regular file and opens it', async () => {
    const file = await locateInsideRoots([root], root, 'night/a.fits');
    expect(file).toMatchObject({ path: join(root, 'night', 'a.fits'), size: 6 });
    const handle = await openLocated(file);
    try {
      expect((await handle.readFile()).toString()).toBe('SIMPLE');
    } finally {
      await handle.close();
    }
  });

  it('follows a symlink that stays inside the roots', async () => {
    expect((await locateInsideRoots([root], root, 'night/alias.fits')).path).toBe(join(root, 'night', 'a.fits'));
  });

  it('finds a file whose name holds backslashes and dots, which is no climb on this system', async () => {
    const file = await locateInsideRoots([root], root, 'night/..\\..\\x.fits');
    expect(file).toMatchObject({ path: join(root, 'night', '..\\..\\x.fits'), size: 'BACKSLASH'.length });
  });

  it.each([
    ['../elsewhere/secret.fits', 'FILE_BAD_PATH'],
    ['/etc/passwd', 'FILE_BAD_PATH'],
    ['night/a.fits\0', 'FILE_BAD_PATH'],
    ['night/escape.fits', 'FILE_OUTSIDE_ROOTS'],
    ['night/none.fits', 'FILE_MISSING'],
    ['night', 'FILE_NOT_REGULAR'],
  ])('refuses %j with %s', async (relPath, code) => {
    await expect(locateInsideRoots([root], root, relPath)).rejects.toMatchObject({ code });
  });

  it('refuses a file under a root that is no longer configured', async () => {
    await expect(locateInsideRoots([outside], root, 'night/a.fits')).rejects.toMatchObject({
      code: 'FILE_OUTSIDE_ROOTS',
    });
  });

  it('an image is read from its own path, else from a copy, never from a moved-away path', async () => {
    const image = {
      root,
      rel_path: 'night/gone.fits',
      paths: [
        { root, rel_path: 'night/alias.fits', kind: 'previous' },
        { root, rel_path: 'night/a.fits', kind: 'copy' },
      ],
    };
    expect((await resolveImageFile([root], image)).path).toBe(join(root, 'night', 'a.fits'));
    await expect(resolveImageFile([root], { ...image, paths: [image.paths[0]!] })).rejects.toMatchObject({
      code: 'FILE_MISSING',
    });
  });
});

describe('files the ingest may read', () => {
  it('accepts a regular file inside the roots, with its real path', async () => {
    expect(checkIngestPath([root], join(root, 'night', 'a.fits'))).toEqual({
      ok: true,
      realPath: join(root, 'night', 'a.fits'),
    });
    // A root named through a link is resolved too.
    expect(checkIngestPath([join(root, 'linked')], join(root, 'linked', 'secret.fits'))).toEqual({
      ok: true,
      realPath: join(outside, 'secret.fits'),
    });
  });

  it.each([
    ['night/escape.fits', 'symbolic link to a file outside the image roots'],
    [
      'night/alias.fits',
      'symbolic link to night/a.fits inside the image roots: the target is catalogued under its own path',
    ],
    ['night/dangling.fits', 'symbolic link to a file that does not exist'],
    ['linked/secret.fits', 'the path leads outside the image roots (through a linked folder)'],
  ])('refuses %s: %s', async (relPath, reason) => {
    expect(checkIngestPath([root], join(root, relPath))).toEqual({ ok: false, reason });
  });

  it('says when nothing is there', async () => {
    expect(checkIngestPath([root], join(root, 'night', 'none.fits'))).toEqual({ ok: 'gone' });
  });

  it('the worker checks the path and the file before it reads (its gate)', async () => {
    const job = (relPath: string, seen: { sizeBytes: number; mtimeMs: number }, stableMs = 0) =>
      processFrame({
        absPath: join(root, relPath),
        gate: { roots: [root], seen, stableMs },
        skipAnalysis: true,
        normalize: { nightRolloverHour: 12 },
      });
    const facts = statSync(join(root, 'night', 'a.fits'));
    const seen = { sizeBytes: facts.size, mtimeMs: Math.trunc(facts.mtimeMs) };
    expect(await job('night/escape.fits', seen)).toEqual({
      ok: 'held',
      refused: 'symbolic link to a file outside the image roots',
    });
    expect(await job('night/a.fits', seen, 3_600_000)).toMatchObject({ ok: 'held', stability: { state: 'settling' } });
    expect(await job('night/a.fits', { ...seen, sizeBytes: 5 })).toMatchObject({
      ok: 'held',
      stability: { state: 'changed', sizeBytes: 6 },
    });
    expect(await job('night/none.fits', seen)).toEqual({ ok: 'held', stability: { state: 'gone' } });
    // Past the gate the file is read: this one is no FITS file.
    expect(await job('night/a.fits', seen)).toMatchObject({ ok: false, retry: false });
  });

  it('the worker does not follow a link it is handed', async () => {
    const outcome = await processFrame({
      absPath: join(root, 'night', 'escape.fits'),
      skipAnalysis: true,
      normalize: { nightRolloverHour: 12 },
    });
    expect(outcome).toMatchObject({ ok: false, retry: false, code: 'ELOOP' });
  });
});
