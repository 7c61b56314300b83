import type { CardValue } from '@aims/fits';
import type { Resolved } from './field-rule.js';
import { show } from './value-parsers.js';

export interface ImageStructure {
  naxis: Resolved<number>;
  naxis1: Resolved<number>;
  naxis2: Resolved<number>;
  naxis3: Resolved<number>;
  bitpix: Resolved<number>;
}

const VALID_BITPIX = new Set([8, 16, 32, 64, -32, -64]);

/**
 * The image HDU's own dimensions. A tile-compressed image (ZIMAGE = T) describes the image in
 * ZNAXISn/ZBITPIX; its NAXISn describe the table that holds the tiles.
 */
export function readStructure(own: (key: string) => CardValue | undefined): ImageStructure {
  const compressed = own('ZIMAGE') === true;
  const prefix = compressed ? 'Z' : '';
  const read = (name: string, valid: (n: number) => boolean): Resolved<number> => {
    const key = `${prefix}${name}`;
    const raw = own(key);
    if (raw === undefined) return { value: null, reason: `no ${key}` };
    const value = typeof raw === 'bigint' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || !valid(value)) {
      return { value: null, reason: `${key} ${show(raw)} is not valid` };
    }
    return { value, source: key };
  };
  const naxis = read('NAXIS', (n) => n >= 0 && n <= 999);
  const axis = (n: number): Resolved<number> => {
    if (naxis.value !== null && naxis.value < n) return { value: null, reason: `NAXIS is ${naxis.value}` };
    return read(`NAXIS${n}`, (v) => v >= 0);
  };
  return {
    naxis,
    naxis1: axis(1),
    naxis2: axis(2),
    naxis3: axis(3),
    bitpix: read('BITPIX', (n) => VALID_BITPIX.has(n)),
  };
}
