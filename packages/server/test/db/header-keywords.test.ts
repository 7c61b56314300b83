import { describe, expect, it } from 'vitest';
import { headerKeywords, MAX_KEYWORDS } from '../../src/db/header-keywords.js';
import { insertImage } from '../../src/db/images.repository.js';
import type { StoredHdu } from '../../src/domain/image.js';
import { DIALECTS, withTestDatabase } from '../support/databases.js';
import { makeImage, observedAt } from '../support/images.js';

const card = (key: string, value: StoredHdu['cards'][number]['value']) => ({ key, value, comment: '' });

describe.each(DIALECTS)('the searchable header keywords (%s)', (dialect) => {
  it('lists every keyword of every HDU once, in byte order: numbers, texts and logicals alike', async () => {
    await withTestDatabase(dialect, async (database) => {
      expect(await headerKeywords(database)).toEqual({ keywords: [], complete: true });
      const frames: StoredHdu[][] = [
        [
          {
            index: 0,
            type: 'IMAGE',
            // Only numbers, only text, a logical (both columns), a number written as text.
            cards: [card('CCD-TEMP', -10), card('FILTER', 'Ha'), card('SIMPLE', true), card('FOCPOS', '12345')],
          },
          { index: 1, type: 'BINTABLE', cards: [card('ESO DET DIT', 2.5), card('COMMENT', 'not searchable')] },
        ],
        // The same keywords again, and one whose collation order differs from byte order.
        [{ index: 0, type: 'IMAGE', cards: [card('CCD_TEMP', -15), card('FILTER', 'R'), card('CCD-TEMP', -20)] }],
        [{ index: 0, type: 'IMAGE', cards: [card('UNDEF', null), card('AIRMASS', 1.2)] }],
      ];
      for (const [i, headers] of frames.entries())
        await insertImage(database, makeImage({ headers, metadata: observedAt(`2025-01-0${i + 1}T23:04:05`) }));
      expect(await headerKeywords(database)).toEqual({
        keywords: ['AIRMASS', 'CCD-TEMP', 'CCD_TEMP', 'ESO DET DIT', 'FILTER', 'FOCPOS', 'SIMPLE'],
        complete: true,
      });
    });
  });

  it(`stops at ${MAX_KEYWORDS} keywords and says so`, async () => {
    await withTestDatabase(dialect, async (database) => {
      const cards = Array.from({ length: MAX_KEYWORDS + 20 }, (_, i) =>
        card(`K${String(i).padStart(4, '0')}`, i % 2 ? i : `t${i}`),
      );
      await insertImage(database, makeImage({ headers: [{ index: 0, type: 'IMAGE', cards }] }));
      const { keywords, complete } = await headerKeywords(database);
      expect(complete).toBe(false);
      expect(keywords).toEqual(cards.slice(0, MAX_KEYWORDS).map((c) => c.key));
    });
  });
});
