import { parseArgs } from 'node:util';
import { QUALITY_VERSION, scoreFrame } from '../analysis/score.js';
import { loadConfig } from '../config/config.js';
import { openDatabase } from '../db/connection.js';
import { comparableQuality, listScoringInputs } from '../db/image-quality.repository.js';
import { updateQuality } from '../db/images.repository.js';
import { type Command, EXIT_BAD_INPUT } from './command.js';

const USAGE = 'aims rescore [--db URL] [--json]';

/**
 * `aims rescore`: recomputes every frame's quality score from its stored metrics with the current
 * formula (QUALITY_VERSION) and threshold, each against all of its comparable frames. The pixels
 * are not read again.
 */
export const rescoreCommand: Command = {
  summary: 'recompute quality scores from stored metrics (after a formula or threshold change)',
  usage: USAGE,
  async run(args) {
    let values: { db?: string; json?: boolean };
    try {
      ({ values } = parseArgs({ args, options: { db: { type: 'string' }, json: { type: 'boolean' } } }));
    } catch (error) {
      process.stderr.write(`aims rescore: ${(error as Error).message}\nusage: ${USAGE}\n`);
      return EXIT_BAD_INPUT;
    }
    const config = loadConfig(undefined, { databaseUrl: values.db });
    const database = await openDatabase(config.databaseUrl);
    let images = 0;
    let flagged = 0;
    try {
      let afterId = 0;
      for (;;) {
        const page = await listScoringInputs(database, { afterId, limit: 500 });
        if (!page.length) break;
        for (const input of page) {
          const comparables = await comparableQuality(database, input, { excludeId: input.id });
          const score = scoreFrame(input.quality, comparables, {
            imageType: input.image_type,
            threshold: config.qualityThreshold,
          });
          await updateQuality(database, input.id, input.quality, score);
          images++;
          if (score.quality_flag) flagged++;
        }
        afterId = page.at(-1)?.id ?? afterId;
      }
    } finally {
      await database.close();
    }
    const summary = { images, flagged, quality_version: QUALITY_VERSION, threshold: config.qualityThreshold };
    process.stdout.write(
      values.json
        ? `${JSON.stringify(summary)}\n`
        : `rescored ${images} frames (formula v${QUALITY_VERSION}); ${flagged} at or above ${config.qualityThreshold}\n`,
    );
    return 0;
  },
};
