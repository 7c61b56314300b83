import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';

export interface UnzippedEntry {
  name: string;
  compressionMethod: number;
  size: number;
  data: Buffer;
}

/** Every entry of a ZIP held in memory, read with yauzl, sizes and CRC-32 checked. */
export function unzip(buffer: Buffer): Promise<UnzippedEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const entries: UnzippedEntry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (error, stream) => {
          if (error || !stream) return reject(error);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            const data = Buffer.concat(chunks);
            // yauzl checks sizes but not the CRC-32; a reader such as unzip or 7-Zip would.
            if (crc32(data) !== entry.crc32) return reject(new Error(`${entry.fileName}: CRC-32 mismatch`));
            entries.push({
              name: entry.fileName,
              compressionMethod: entry.compressionMethod,
              size: entry.uncompressedSize,
              data,
            });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Minimal RFC 4180 parser for the manifest (quoted fields, doubled quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}
