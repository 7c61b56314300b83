import { promisify } from 'node:util';
import { unzip } from 'node:zlib';
import type { Inflate } from '../../src/inflate.js';

const unzipAsync = promisify(unzip);

/**
 * Node's zlib as an Inflate for tests with thousands of GZIP tiles (DecompressionStream costs about
 * a millisecond per call in Node 20). `unzip` takes gzip and zlib streams alike.
 */
export const zlibInflate: Inflate = async (data, maxOutputBytes) =>
  new Uint8Array(await unzipAsync(data, maxOutputBytes === undefined ? {} : { maxOutputLength: maxOutputBytes }));
