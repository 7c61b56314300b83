import { badCompression } from './bad-compression.js';

/**
 * PLIO_1 decoding: IRAF's PLIO line lists (Tody; the tiled-image convention, Pence et al. 2009,
 * §4.3; CFITSIO's pl_l2pi describes the same list). A tile is one line list of 16-bit words.
 *
 * Header: in the current format (word 2 ≤ 0, written as -100) word 1 is the header length, which
 * is also the index of the first instruction, and words 3 and 4 hold the list length in words as
 * low and high 15-bit halves. In the old format (word 2 > 0) word 2 is the list length and the
 * instructions start at word 3. Indices here are 0-based.
 *
 * Each instruction word is opcode × 4096 + data (a 12-bit count or increment). The decoder keeps a
 * current "high value" pv, starting at 1:
 *   0 ZN  data zeros                      4 HN  data pixels of pv
 *   1 SH  pv = next word × 4096 + data    5 PN  data - 1 zeros, then one pixel of pv
 *   2 IH  pv += data                      6 IS  pv += data, then one pixel of pv
 *   3 DH  pv -= data                      7 DS  pv -= data, then one pixel of pv
 * Pixels the list does not reach are zero (writers may leave trailing zeros out).
 */

const ALGORITHM = 'PLIO_1';
const OPCODE_SHIFT = 12;
const DATA_MASK = 0xfff;

/**
 * Decodes one PLIO_1 line list (the heap's 16-bit big-endian words as an Int16Array) into
 * `output` (its length is the tile's pixel count). Throws FitsError BAD_COMPRESSION for a list
 * that is truncated, declares more words than it has, or holds a word that is no instruction.
 */
export function plioDecode(words: Int16Array, output: Int32Array): void {
  const npix = output.length;
  if (words.length < 3)
    throw badCompression(ALGORITHM, `line list of ${words.length} words is shorter than its header`);

  let listLength: number;
  let first: number;
  if (words[2]! > 0) {
    listLength = words[2]!;
    first = 3;
  } else {
    if (words.length < 5) throw badCompression(ALGORITHM, 'line list ends inside its header');
    listLength = (words[4]! << 15) + words[3]!;
    first = words[1]!;
  }
  if (listLength <= 0 || listLength > words.length) {
    throw badCompression(
      ALGORITHM,
      `line list declares ${listLength} words but the tile holds ${words.length}`,
      2 * Math.min(words.length, 5),
    );
  }
  if (first < 3) throw badCompression(ALGORITHM, `line list header length ${first} is too short`, 2);

  let op = 0; // next output pixel; always the list's pixel position minus one
  let pv = 1;
  for (let ip = first; ip < listLength && op < npix; ip++) {
    const word = words[ip]!;
    // Writers only produce opcodes 0–7, so a negative word is not an instruction.
    if (word < 0) throw badCompression(ALGORITHM, `invalid instruction word ${word}`, 2 * ip);
    const data = word & DATA_MASK;
    switch (word >> OPCODE_SHIFT) {
      case 0: {
        const stop = Math.min(op + data, npix);
        output.fill(0, op, stop);
        op = stop;
        break;
      }
      case 4: {
        const stop = Math.min(op + data, npix);
        output.fill(pv, op, stop);
        op = stop;
        break;
      }
      case 5: {
        const stop = Math.min(op + data, npix);
        output.fill(0, op, stop);
        // The value pixel ends the run; it is dropped if the run was clipped at the tile's end.
        if (data > 0 && op + data <= npix) output[stop - 1] = pv;
        op = stop;
        break;
      }
      case 1:
        if (ip + 1 >= listLength) throw badCompression(ALGORITHM, 'set-high-value instruction ends the list', 2 * ip);
        pv = ((words[ip + 1]! << OPCODE_SHIFT) + data) | 0;
        ip++;
        break;
      case 2:
        pv = (pv + data) | 0;
        break;
      case 3:
        pv = (pv - data) | 0;
        break;
      case 6:
        pv = (pv + data) | 0;
        output[op++] = pv;
        break;
      case 7:
        pv = (pv - data) | 0;
        output[op++] = pv;
        break;
    }
  }
  output.fill(0, op, npix);
}
