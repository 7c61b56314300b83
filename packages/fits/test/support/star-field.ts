/** The synthetic star field of the display tests (one definition for every package). */
export * from '../../../../scripts/vitest.star-field.js';
