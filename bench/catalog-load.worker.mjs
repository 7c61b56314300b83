// A thread of the COPY loader (catalog-load.mjs): frames [from, to) as COPY data in PostgreSQL's
// binary format for images, image_headers and image_keywords, ids n + 1, through the catalog's
// own row mappers. Binary because the text format spent most of the load's time turning doubles
// into decimal text here and back into doubles in the server; the bits are the same either way
// (the test compares with ingest).
import { parentPort, workerData } from 'node:worker_threads';
import { frameAt } from './catalog-frames.mjs';
import { serverModules } from './support.mjs';

const load = serverModules('catalog-load.worker');
const { toImageRow, toImageHeadersRow } = await load('db/image.mapper.js');
const { keywordRows } = await load('db/images.repository.js');
const { dialectInfo } = await load('db/dialect.js');
const dialect = dialectInfo('postgres');

/** column → PostgreSQL type name (information_schema's data_type), per table. */
const { types } = workerData;

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const TWO_32 = 2 ** 32;

/** One table's COPY BINARY data, grown as rows are added. */
class BinaryRows {
  constructor(columns) {
    this.columns = columns;
    this.writers = columns.map((c) => fieldWriter(c.type, c.name));
    this.buf = Buffer.allocUnsafe(1 << 20);
    this.at = 0;
    this.room(19);
    this.at += SIGNATURE.copy(this.buf, 0);
    this.buf.writeInt32BE(0, this.at); // flags
    this.buf.writeInt32BE(0, this.at + 4); // header extension length
    this.at += 8;
  }
  room(bytes) {
    if (this.at + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }
  add(row) {
    this.room(2);
    this.buf.writeInt16BE(this.columns.length, this.at);
    this.at += 2;
    for (let i = 0; i < this.columns.length; i++) {
      const v = row[this.columns[i].name];
      if (v === null || v === undefined) {
        this.room(4);
        this.buf.writeInt32BE(-1, this.at);
        this.at += 4;
      } else this.writers[i](this, v);
    }
  }
  finish() {
    this.room(2);
    this.buf.writeInt16BE(-1, this.at);
    this.at += 2;
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.at);
  }
}

function fixed(size, write) {
  return (out, v) => {
    out.room(4 + size);
    out.buf.writeInt32BE(size, out.at);
    write(out.buf, v, out.at + 4);
    out.at += 4 + size;
  };
}

function textWriter(prefix) {
  return (out, v) => {
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    out.room(4 + prefix.length + text.length * 3);
    const start = out.at + 4;
    for (let i = 0; i < prefix.length; i++) out.buf[start + i] = prefix[i];
    const n = prefix.length + out.buf.write(text, start + prefix.length, 'utf8');
    out.buf.writeInt32BE(n, out.at);
    out.at = start + n;
  };
}

function fieldWriter(type, name) {
  switch (type) {
    case 'bigint':
      return fixed(8, (buf, v, at) => {
        if (!Number.isSafeInteger(v)) throw new Error(`${name}: ${v} is not a bigint`);
        const hi = Math.floor(v / TWO_32);
        buf.writeInt32BE(hi, at);
        buf.writeUInt32BE(v - hi * TWO_32, at + 4);
      });
    case 'integer':
      return fixed(4, (buf, v, at) => {
        if (!Number.isInteger(v)) throw new Error(`${name}: ${v} is not an integer`);
        buf.writeInt32BE(v, at);
      });
    case 'double precision':
      return fixed(8, (buf, v, at) => buf.writeDoubleBE(v, at));
    case 'boolean':
      return fixed(1, (buf, v, at) => {
        buf[at] = v ? 1 : 0;
      });
    case 'text':
      return textWriter([]);
    case 'jsonb':
      return textWriter([1]); // jsonb's binary format: version 1, then the JSON text
    default:
      throw new Error(`${name}: no binary COPY writer for ${type}`);
  }
}

const keywordColumns = ['image_id', 'hdu_index', 'key', 'num_value', 'str_value'];
const headerColumns = ['image_id', 'headers', 'normalization'];
const typed = (table, names) => names.map((name) => ({ name, type: types[table][name] }));
let imageColumns = null;

function serialize(from, to, at) {
  const headers = new BinaryRows(typed('image_headers', headerColumns));
  const keywords = new BinaryRows(typed('image_keywords', keywordColumns));
  let images = null;
  for (let n = from; n < to; n++) {
    const frame = frameAt(n);
    const id = n + 1;
    const row = { id, ...toImageRow(frame, dialect, at), ingested_at: at, previous_versions: null };
    imageColumns ??= Object.keys(row);
    images ??= new BinaryRows(typed('images', imageColumns));
    images.add(row);
    headers.add(toImageHeadersRow(id, frame, dialect));
    for (const k of keywordRows(id, frame.headers)) keywords.add(k);
  }
  return {
    images: images?.finish() ?? null,
    image_headers: headers.finish(),
    image_keywords: keywords.finish(),
    columns: imageColumns && { images: imageColumns, image_headers: headerColumns, image_keywords: keywordColumns },
  };
}

parentPort.on('message', ({ from, to, nowMs }) => {
  parentPort.postMessage(serialize(from, to, nowMs));
});
