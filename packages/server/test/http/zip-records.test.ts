import { describe, expect, it } from 'vitest';
import {
  centralRecordLength,
  dataDescriptor,
  endRecords,
  endRecordsLength,
  entryLength,
  layoutEntry,
  localHeader,
  writeCentralRecord,
} from '../../src/http/zip-records.js';

const mtime = new Date(2024, 4, 1, 22, 30, 14);
const GIB = 2 ** 30;

describe('ZIP records', () => {
  it('uses ZIP64 from the first size or offset a 32-bit field cannot hold (0xffffffff is the marker)', () => {
    expect(layoutEntry('a', 0xfffffffe, mtime, 0, false).zip64).toBe(false);
    expect(layoutEntry('a', 0xffffffff, mtime, 0, false).zip64).toBe(true);
    expect(layoutEntry('a', 10, mtime, 0xfffffffe, false).zip64).toBe(false);
    expect(layoutEntry('a', 10, mtime, 0xffffffff, false).zip64).toBe(true);
    expect(layoutEntry('a', 10, mtime, 0, true).zip64).toBe(true);
  });

  it('writes a 5 GiB entry at a 6 GiB offset with 64-bit sizes and offset in every record', () => {
    const e = layoutEntry('big.fits', 5 * GIB, mtime, 6 * GIB, false);
    const local = localHeader(e);
    expect(local.readUInt32LE(0)).toBe(0x04034b50);
    expect(local.readUInt16LE(4)).toBe(45);
    expect(local.readUInt16LE(6)).toBe(0x0808); // data descriptor follows; UTF-8 name
    expect(local.readUInt16LE(8)).toBe(0); // stored
    expect([local.readUInt32LE(18), local.readUInt32LE(22)]).toEqual([0xffffffff, 0xffffffff]);
    const localExtra = extraFields(local.subarray(30 + 8, 30 + 8 + local.readUInt16LE(28)));
    expect(u64s(localExtra.get(0x0001))).toEqual([5 * GIB, 5 * GIB]);
    expect(entryLength(e)).toBe(local.length + 5 * GIB + 24);

    const descriptor = dataDescriptor(e, 0xcafebabe);
    expect(descriptor.length).toBe(24);
    expect(descriptor.readUInt32LE(0)).toBe(0x08074b50);
    expect(descriptor.readUInt32LE(4)).toBe(0xcafebabe);
    expect([descriptor.readBigUInt64LE(8), descriptor.readBigUInt64LE(16)]).toEqual([5n * 2n ** 30n, 5n * 2n ** 30n]);

    const central = Buffer.alloc(centralRecordLength(e));
    expect(writeCentralRecord(central, 0, e, 0xcafebabe)).toBe(central.length);
    expect(central.readUInt32LE(0)).toBe(0x02014b50);
    expect(central.readUInt32LE(16)).toBe(0xcafebabe);
    expect([central.readUInt32LE(20), central.readUInt32LE(24), central.readUInt32LE(42)]).toEqual([
      0xffffffff, 0xffffffff, 0xffffffff,
    ]);
    expect(central.subarray(46, 54).toString()).toBe('big.fits');
    const centralExtra = extraFields(central.subarray(54, 54 + central.readUInt16LE(30)));
    expect(u64s(centralExtra.get(0x0001))).toEqual([5 * GIB, 5 * GIB, 6 * GIB]);
    // Info-ZIP's "UT" field: the modification time in UTC seconds.
    expect(centralExtra.get(0x5455)?.readInt32LE(1)).toBe(Math.floor(mtime.getTime() / 1000));
  });

  it('writes a small entry with 32-bit fields, the real sizes in the local header, no ZIP64 field', () => {
    const e = layoutEntry('dir/ü.fits', 2880, mtime, 1234, false);
    const local = localHeader(e);
    expect(local.readUInt16LE(4)).toBe(20);
    expect([local.readUInt32LE(14), local.readUInt32LE(18), local.readUInt32LE(22)]).toEqual([0, 2880, 2880]);
    const nameLength = local.readUInt16LE(26);
    expect(local.subarray(30, 30 + nameLength).toString('utf8')).toBe('dir/ü.fits');
    expect([...extraFields(local.subarray(30 + nameLength)).keys()]).toEqual([0x5455]);
    // MS-DOS time and date, local time: 22:30:14 → 22<<11 | 30<<5 | 7; 2024-05-01 → 44<<9 | 5<<5 | 1.
    expect([local.readUInt16LE(10), local.readUInt16LE(12)]).toEqual([
      (22 << 11) | (30 << 5) | 7,
      (44 << 9) | (5 << 5) | 1,
    ]);
    expect(dataDescriptor(e, 7).length).toBe(16);
    const central = Buffer.alloc(centralRecordLength(e));
    writeCentralRecord(central, 0, e, 7);
    expect([central.readUInt32LE(20), central.readUInt32LE(24), central.readUInt32LE(42)]).toEqual([2880, 2880, 1234]);
  });

  it('adds the ZIP64 end records past 65,534 entries or a 32-bit offset, and only then', () => {
    const small = { entries: 3, offset: 1000, size: 200, forceZip64: false };
    const end = endRecords(small);
    expect(end.length).toBe(22);
    expect(endRecordsLength(small)).toBe(22);
    expect([end.readUInt16LE(10), end.readUInt32LE(12), end.readUInt32LE(16)]).toEqual([3, 200, 1000]);

    for (const cd of [
      { entries: 65_535, offset: 1000, size: 200, forceZip64: false },
      { entries: 3, offset: 5 * GIB, size: 200, forceZip64: false },
      { entries: 3, offset: 1000, size: 200, forceZip64: true },
    ]) {
      const b = endRecords(cd);
      expect(b.length).toBe(56 + 20 + 22);
      expect(endRecordsLength(cd)).toBe(b.length);
      expect(b.readUInt32LE(0)).toBe(0x06064b50);
      expect([b.readBigUInt64LE(32), b.readBigUInt64LE(40), b.readBigUInt64LE(48)]).toEqual(
        [cd.entries, cd.size, cd.offset].map(BigInt),
      );
      expect(b.readUInt32LE(56)).toBe(0x07064b50);
      expect(b.readBigUInt64LE(64)).toBe(BigInt(cd.offset + cd.size)); // where the ZIP64 end record is
      expect(b.readUInt32LE(76)).toBe(0x06054b50);
      expect([b.readUInt16LE(86), b.readUInt32LE(88), b.readUInt32LE(92)]).toEqual([0xffff, 0xffffffff, 0xffffffff]);
    }
  });

  it('refuses names that would extract outside the target folder or hold control characters', () => {
    for (const name of [
      '/etc/passwd',
      '../x.fits',
      'a/../../x.fits',
      'C:\\x.fits',
      'a\\..\\x.fits',
      'a\nb.fits',
      'nul\u0000.fits',
      '',
      'dir/',
    ])
      expect(() => layoutEntry(name, 1, mtime, 0, false), name).toThrow();
    expect(layoutEntry('a\\b.fits', 1, mtime, 0, false).nameBytes.toString()).toBe('a/b.fits');
  });
});

/** Extra fields by tag. */
function extraFields(b: Buffer): Map<number, Buffer> {
  const fields = new Map<number, Buffer>();
  for (let at = 0; at + 4 <= b.length; ) {
    const length = b.readUInt16LE(at + 2);
    fields.set(b.readUInt16LE(at), b.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return fields;
}

/** The 64-bit little-endian numbers a field holds. */
function u64s(b: Buffer | undefined): number[] {
  const out: number[] = [];
  for (let at = 0; b && at + 8 <= b.length; at += 8) out.push(Number(b.readBigUInt64LE(at)));
  return out;
}
