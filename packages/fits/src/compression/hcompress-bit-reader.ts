import { badCompression } from './bad-compression.js';

/** MSB-first bit reader over the tile's bytes; reading past the end is BAD_COMPRESSION. */
export class BitReader {
  private buffer = 0;
  private bitsLeft = 0;

  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
  ) {}

  private nextByte(): number {
    if (this.pos >= this.bytes.length) {
      throw badCompression('HCOMPRESS_1', 'compressed tile ends inside the coefficient bit stream', this.pos);
    }
    return this.bytes[this.pos++]!;
  }

  /** Drops the rest of the current byte: the next read starts at a byte boundary. */
  alignToByte(): void {
    this.bitsLeft = 0;
  }

  bit(): number {
    if (this.bitsLeft === 0) {
      this.buffer = this.nextByte();
      this.bitsLeft = 8;
    }
    this.bitsLeft--;
    return (this.buffer >> this.bitsLeft) & 1;
  }

  /** n ≤ 8 bits as an unsigned number. */
  bits(n: number): number {
    if (this.bitsLeft < n) {
      this.buffer = ((this.buffer << 8) | this.nextByte()) & 0xffff;
      this.bitsLeft += 8;
    }
    this.bitsLeft -= n;
    return (this.buffer >> this.bitsLeft) & ((1 << n) - 1);
  }

  /** `count` 4-bit values into `out` (a directly written bit plane); locals keep the loop tight. */
  nybbles(out: Uint8Array, count: number): void {
    const bytes = this.bytes;
    let buffer = this.buffer;
    let left = this.bitsLeft;
    let pos = this.pos;
    for (let i = 0; i < count; i++) {
      if (left < 4) {
        if (pos >= bytes.length) {
          this.pos = pos;
          this.nextByte(); // throws
        }
        buffer = ((buffer << 8) | bytes[pos++]!) & 0xffff;
        left += 8;
      }
      left -= 4;
      out[i] = (buffer >> left) & 15;
    }
    this.buffer = buffer;
    this.bitsLeft = left;
    this.pos = pos;
  }

  /** Negates each non-zero value of `a` whose sign bit, read in order, is 1. */
  applySigns(a: Int32Array | Float64Array): void {
    const bytes = this.bytes;
    let buffer = this.buffer;
    let left = this.bitsLeft;
    let pos = this.pos;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === 0) continue;
      if (left === 0) {
        if (pos >= bytes.length) {
          this.pos = pos;
          this.nextByte(); // throws
        }
        buffer = bytes[pos++]!;
        left = 8;
      }
      left--;
      if ((buffer >> left) & 1) a[i] = -a[i]!;
    }
    this.buffer = buffer;
    this.bitsLeft = left;
    this.pos = pos;
  }

  /**
   * One quadtree code: 3-bit codes for 1, 2, 4, 8; 4-bit for 3, 5, 10, 12, 15; 5-bit for 6, 7,
   * 9, 11, 13; 6-bit for 0 and 14 (the fixed table of the H-compress coder).
   */
  huffman(): number {
    let c = this.bits(3);
    if (c < 4) return 1 << c;
    c = (c << 1) | this.bit();
    switch (c) {
      case 8:
        return 3;
      case 9:
        return 5;
      case 10:
        return 10;
      case 11:
        return 12;
      case 12:
        return 15;
    }
    c = (c << 1) | this.bit();
    switch (c) {
      case 26:
        return 6;
      case 27:
        return 7;
      case 28:
        return 9;
      case 29:
        return 11;
      case 30:
        return 13;
    }
    c = (c << 1) | this.bit();
    return c === 62 ? 0 : 14;
  }
}
