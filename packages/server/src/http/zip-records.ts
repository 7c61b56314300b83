/**
 * The records of a ZIP archive (PKWARE APPNOTE.TXT 6.3) for the one kind of entry a download
 * needs: stored (method 0), size known before the first byte, CRC-32 known only after the last.
 *
 * Such an entry sets general purpose bit 3 and is followed by a data descriptor with its CRC-32.
 * The local header still carries the real sizes, as Info-ZIP's `zip -0` writes them to a pipe:
 * a reader that streams (no central directory yet) can only find the end of stored data that way.
 * Names are UTF-8 (bit 11). An entry whose size or offset does not fit 32 bits, or every entry
 * when ZIP64 is forced, gets the ZIP64 extra field (local and central) and a 24-byte descriptor;
 * the archive gets the ZIP64 end records when it has 65,535 entries or more, or a central
 * directory that does not fit 32 bits.
 *
 * Every record's length depends only on the name, the size and the offset, so the length of the
 * whole archive is known before the first byte (an exact Content-Length).
 */

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const DATA_DESCRIPTOR_SIGNATURE = 0x08074b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const END_SIGNATURE = 0x06054b50;
const ZIP64_END_SIGNATURE = 0x06064b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;

const LOCAL_HEADER_BYTES = 30;
const CENTRAL_HEADER_BYTES = 46;
const DATA_DESCRIPTOR_BYTES = 16;
const ZIP64_DATA_DESCRIPTOR_BYTES = 24;
const END_BYTES = 22;
const ZIP64_END_BYTES = 56;
const ZIP64_LOCATOR_BYTES = 20;
/** Extra field 0x5455 (Info-ZIP "UT"), modification time only: tag, length, flags, time. */
const TIMESTAMP_EXTRA_BYTES = 9;
/** Extra field 0x0001 in a local header: tag, length, original and compressed size. */
const ZIP64_LOCAL_EXTRA_BYTES = 20;
/** Extra field 0x0001 in the central directory: the two sizes and the local header's offset. */
const ZIP64_CENTRAL_EXTRA_BYTES = 28;

const FLAG_DATA_DESCRIPTOR = 1 << 3;
const FLAG_UTF8_NAME = 1 << 11;
const FLAGS = FLAG_DATA_DESCRIPTOR | FLAG_UTF8_NAME;
const METHOD_STORED = 0;
/** 2.0: the version that reads bit 3 and UTF-8 names; 4.5: ZIP64. */
const VERSION_NEEDED = 20;
const VERSION_NEEDED_ZIP64 = 45;
/** Made by: UNIX (3, so that external attributes hold a mode), APPNOTE 4.5. */
const VERSION_MADE_BY = (3 << 8) | 45;
/** A regular file, rw-r--r--, in the high half of the external attributes (UNIX convention). */
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;
/** A 32-bit field holding this value says "see the ZIP64 extra field". */
const ZIP64_MARKER = 0xffffffff;
const ZIP64_MARKER_16 = 0xffff;

export interface ZipEntryLayout {
  nameBytes: Buffer;
  size: number;
  /** Offset of the local header from the start of the archive. */
  offset: number;
  zip64: boolean;
  dosTime: number;
  dosDate: number;
  /** Seconds since 1970 (UTC), clamped to what a signed 32-bit field holds. */
  unixSeconds: number;
}

/** Where an entry goes and how it is written; throws on a name a ZIP must not hold. */
export function layoutEntry(
  name: string,
  size: number,
  mtime: Date,
  offset: number,
  forceZip64: boolean,
): ZipEntryLayout {
  const nameBytes = Buffer.from(checkedName(name), 'utf8');
  if (nameBytes.length > 0xffff) throw new Error(`ZIP entry name longer than 65,535 bytes: ${name.slice(0, 80)}…`);
  const { dosTime, dosDate } = dosDateTime(mtime);
  return {
    nameBytes,
    size,
    offset,
    // 0xffffffff itself is the marker, so a 32-bit field holds at most 0xfffffffe.
    zip64: forceZip64 || size >= ZIP64_MARKER || offset >= ZIP64_MARKER,
    dosTime,
    dosDate,
    unixSeconds: Math.max(-0x80000000, Math.min(0x7fffffff, Math.floor(mtime.getTime() / 1000))),
  };
}

/** Bytes from this entry's local header to the end of its data descriptor. */
export function entryLength(e: ZipEntryLayout): number {
  return localHeaderLength(e) + e.size + (e.zip64 ? ZIP64_DATA_DESCRIPTOR_BYTES : DATA_DESCRIPTOR_BYTES);
}

function localHeaderLength(e: ZipEntryLayout): number {
  return LOCAL_HEADER_BYTES + e.nameBytes.length + TIMESTAMP_EXTRA_BYTES + (e.zip64 ? ZIP64_LOCAL_EXTRA_BYTES : 0);
}

export function centralRecordLength(e: ZipEntryLayout): number {
  return CENTRAL_HEADER_BYTES + e.nameBytes.length + TIMESTAMP_EXTRA_BYTES + (e.zip64 ? ZIP64_CENTRAL_EXTRA_BYTES : 0);
}

export function localHeader(e: ZipEntryLayout): Buffer {
  const b = Buffer.alloc(localHeaderLength(e));
  b.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
  b.writeUInt16LE(e.zip64 ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED, 4);
  b.writeUInt16LE(FLAGS, 6);
  b.writeUInt16LE(METHOD_STORED, 8);
  b.writeUInt16LE(e.dosTime, 10);
  b.writeUInt16LE(e.dosDate, 12);
  // CRC-32 (offset 14) stays 0: it follows in the data descriptor.
  const size32 = e.zip64 ? ZIP64_MARKER : e.size;
  b.writeUInt32LE(size32, 18); // compressed size
  b.writeUInt32LE(size32, 22); // uncompressed size
  b.writeUInt16LE(e.nameBytes.length, 26);
  b.writeUInt16LE(TIMESTAMP_EXTRA_BYTES + (e.zip64 ? ZIP64_LOCAL_EXTRA_BYTES : 0), 28);
  let at = LOCAL_HEADER_BYTES + e.nameBytes.copy(b, LOCAL_HEADER_BYTES);
  at = writeTimestampExtra(b, at, e);
  if (e.zip64) {
    b.writeUInt16LE(0x0001, at);
    b.writeUInt16LE(ZIP64_LOCAL_EXTRA_BYTES - 4, at + 2);
    b.writeBigUInt64LE(BigInt(e.size), at + 4); // original size
    b.writeBigUInt64LE(BigInt(e.size), at + 12); // compressed size
  }
  return b;
}

export function dataDescriptor(e: ZipEntryLayout, crc32: number): Buffer {
  const b = Buffer.alloc(e.zip64 ? ZIP64_DATA_DESCRIPTOR_BYTES : DATA_DESCRIPTOR_BYTES);
  // The signature is optional in the specification; macOS Archive Utility needs it.
  b.writeUInt32LE(DATA_DESCRIPTOR_SIGNATURE, 0);
  b.writeUInt32LE(crc32, 4);
  if (e.zip64) {
    b.writeBigUInt64LE(BigInt(e.size), 8);
    b.writeBigUInt64LE(BigInt(e.size), 16);
  } else {
    b.writeUInt32LE(e.size, 8);
    b.writeUInt32LE(e.size, 12);
  }
  return b;
}

/** Writes the central directory record of `e` into `b` at `at`; returns the offset after it. */
export function writeCentralRecord(b: Buffer, at: number, e: ZipEntryLayout, crc32: number): number {
  b.writeUInt32LE(CENTRAL_HEADER_SIGNATURE, at);
  b.writeUInt16LE(VERSION_MADE_BY, at + 4);
  b.writeUInt16LE(e.zip64 ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED, at + 6);
  b.writeUInt16LE(FLAGS, at + 8);
  b.writeUInt16LE(METHOD_STORED, at + 10);
  b.writeUInt16LE(e.dosTime, at + 12);
  b.writeUInt16LE(e.dosDate, at + 14);
  b.writeUInt32LE(crc32, at + 16);
  b.writeUInt32LE(e.zip64 ? ZIP64_MARKER : e.size, at + 20);
  b.writeUInt32LE(e.zip64 ? ZIP64_MARKER : e.size, at + 24);
  b.writeUInt16LE(e.nameBytes.length, at + 28);
  b.writeUInt16LE(TIMESTAMP_EXTRA_BYTES + (e.zip64 ? ZIP64_CENTRAL_EXTRA_BYTES : 0), at + 30);
  b.writeUInt16LE(0, at + 32); // comment length
  b.writeUInt16LE(0, at + 34); // disk number
  b.writeUInt16LE(0, at + 36); // internal attributes
  b.writeUInt32LE(EXTERNAL_ATTRIBUTES, at + 38);
  b.writeUInt32LE(e.zip64 ? ZIP64_MARKER : e.offset, at + 42);
  let end = at + CENTRAL_HEADER_BYTES;
  end += e.nameBytes.copy(b, end);
  end = writeTimestampExtra(b, end, e);
  if (e.zip64) {
    b.writeUInt16LE(0x0001, end);
    b.writeUInt16LE(ZIP64_CENTRAL_EXTRA_BYTES - 4, end + 2);
    b.writeBigUInt64LE(BigInt(e.size), end + 4);
    b.writeBigUInt64LE(BigInt(e.size), end + 12);
    b.writeBigUInt64LE(BigInt(e.offset), end + 20);
    end += ZIP64_CENTRAL_EXTRA_BYTES;
  }
  return end;
}

function writeTimestampExtra(b: Buffer, at: number, e: ZipEntryLayout): number {
  b.writeUInt16LE(0x5455, at);
  b.writeUInt16LE(TIMESTAMP_EXTRA_BYTES - 4, at + 2);
  b.writeUInt8(1, at + 4); // flags: modification time present
  b.writeInt32LE(e.unixSeconds, at + 5);
  return at + TIMESTAMP_EXTRA_BYTES;
}

interface CentralDirectory {
  entries: number;
  offset: number;
  size: number;
  forceZip64: boolean;
}

function needsZip64End(cd: CentralDirectory): boolean {
  return cd.forceZip64 || cd.entries >= ZIP64_MARKER_16 || cd.offset >= ZIP64_MARKER || cd.size >= ZIP64_MARKER;
}

export function endRecordsLength(cd: CentralDirectory): number {
  return END_BYTES + (needsZip64End(cd) ? ZIP64_END_BYTES + ZIP64_LOCATOR_BYTES : 0);
}

/** The end of central directory record, preceded by the ZIP64 end record and locator if needed. */
export function endRecords(cd: CentralDirectory): Buffer {
  const zip64 = needsZip64End(cd);
  const b = Buffer.alloc(endRecordsLength(cd));
  let at = 0;
  if (zip64) {
    const zip64EndOffset = cd.offset + cd.size;
    b.writeUInt32LE(ZIP64_END_SIGNATURE, 0);
    b.writeBigUInt64LE(BigInt(ZIP64_END_BYTES - 12), 4); // size of the rest of this record
    b.writeUInt16LE(VERSION_MADE_BY, 12);
    b.writeUInt16LE(VERSION_NEEDED_ZIP64, 14);
    b.writeUInt32LE(0, 16); // this disk
    b.writeUInt32LE(0, 20); // disk of the central directory
    b.writeBigUInt64LE(BigInt(cd.entries), 24); // entries on this disk
    b.writeBigUInt64LE(BigInt(cd.entries), 32); // entries in all
    b.writeBigUInt64LE(BigInt(cd.size), 40);
    b.writeBigUInt64LE(BigInt(cd.offset), 48);
    b.writeUInt32LE(ZIP64_LOCATOR_SIGNATURE, 56);
    b.writeUInt32LE(0, 60); // disk of the ZIP64 end record
    b.writeBigUInt64LE(BigInt(zip64EndOffset), 64);
    b.writeUInt32LE(1, 72); // number of disks
    at = ZIP64_END_BYTES + ZIP64_LOCATOR_BYTES;
  }
  const entries16 = zip64 ? ZIP64_MARKER_16 : cd.entries;
  b.writeUInt32LE(END_SIGNATURE, at);
  b.writeUInt16LE(0, at + 4); // this disk
  b.writeUInt16LE(0, at + 6); // disk of the central directory
  b.writeUInt16LE(entries16, at + 8);
  b.writeUInt16LE(entries16, at + 10);
  b.writeUInt32LE(zip64 ? ZIP64_MARKER : cd.size, at + 12);
  b.writeUInt32LE(zip64 ? ZIP64_MARKER : cd.offset, at + 16);
  b.writeUInt16LE(0, at + 20); // comment length
  return b;
}

/**
 * Forward slashes only, relative, no `..`, no control characters: what every unzip tool extracts
 * safely. The download plan makes names safe (catalog/downloads.ts zipEntryName); this is the last
 * guard.
 */
function checkedName(name: string): string {
  const normalized = name.replace(/\\/g, '/');
  if (normalized === '' || normalized.endsWith('/')) throw new Error(`not a file name for a ZIP entry: '${name}'`);
  if (
    normalized.startsWith('/') ||
    /^[a-zA-Z]:/.test(normalized) ||
    normalized.split('/').includes('..') ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    /[\u0000-\u001f\u007f]/.test(normalized)
  )
    throw new Error(`refusing ZIP entry name '${name}'`);
  return normalized;
}

/** MS-DOS date and time (local time, two-second resolution), clamped to 1980–2107. */
function dosDateTime(date: Date): { dosTime: number; dosDate: number } {
  const min = new Date(1980, 0, 1);
  const max = new Date(2107, 11, 31, 23, 59, 58);
  const d = date < min ? min : date > max ? max : date;
  return {
    dosTime: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    dosDate: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}
