import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, CARD_LENGTH, CARDS_PER_BLOCK } from '../src/constants.js';
import { FitsError, FitsErrorCode, isFitsError } from '../src/errors.js';

describe('FitsError', () => {
  it('carries a stable code and the position it was found at', () => {
    const error = new FitsError(FitsErrorCode.NO_END, 'no END card', { byteOffset: 5760, cardIndex: 72 });
    expect(isFitsError(error)).toBe(true);
    expect(error.code).toBe('FITS_NO_END');
    expect(error.byteOffset).toBe(5760);
    expect(error.cardIndex).toBe(72);
  });

  it('uses the block and card sizes of the standard', () => {
    expect(BLOCK_SIZE).toBe(2880);
    expect(CARD_LENGTH).toBe(80);
    expect(CARDS_PER_BLOCK).toBe(36);
  });
});
