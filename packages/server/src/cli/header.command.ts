import { parseArgs } from 'node:util';
import { CARD_LENGTH, type Card, type CardValue, type Hdu, isFitsError } from '@aims/fits';
import { openFits } from '@aims/fits/node';
import { loadConfig } from '../config/config.js';
import { type Command, EXIT_BAD_INPUT } from './command.js';

const USAGE = 'aims header FILE [--json] [--hdu N]';

/**
 * `aims header FILE [--json] [--hdu N]`: every HDU's cards. Text output follows astropy's
 * `fitsheader` (a `# HDU n in FILE:` line, then the 80-column card images); `--json` gives the
 * contract the README documents `{"file","hdus":[{"index","type","cards":[{"key","value","comment"}]}]}`.
 */
export const headerCommand: Command = {
  summary: "print every HDU's header cards",
  usage: USAGE,
  async run(args) {
    let values: { json?: boolean; hdu?: string };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { json: { type: 'boolean' }, hdu: { type: 'string' } },
      }));
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
    const [file, ...extra] = positionals;
    if (!file || extra.length > 0) return fail(`expected one FILE; usage: ${USAGE}`);
    const only = values.hdu === undefined ? undefined : Number(values.hdu);
    if (only !== undefined && !(Number.isInteger(only) && only >= 0)) {
      return fail(`--hdu must be an HDU index (0 = primary), got '${values.hdu}'`);
    }

    let maxInflateRatio: number;
    try {
      ({ maxInflateRatio } = loadConfig());
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
    let hdus: Hdu[];
    try {
      // Walking a whole-file gzip to its last HDU inflates all of it: a gzip bomb stops at the
      // same ratio as in ingest (AIMS_MAX_INFLATE_RATIO), with the reason on stderr.
      const fits = await openFits(file, { gzip: { maxInflateRatio } });
      await fits.close();
      hdus = fits.structure.hdus;
    } catch (error) {
      if (isFitsError(error)) return fail(`${file}: ${error.message} (${error.code})`);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES')
        return fail(`${file}: cannot read the file (${code})`);
      throw error;
    }
    if (only !== undefined) {
      if (only >= hdus.length) return fail(`${file}: there is no HDU ${only} (the file has ${hdus.length})`);
      hdus = [hdus[only]!];
    }
    process.stdout.write(values.json ? headerJson(file, hdus) : headerText(file, hdus));
    return 0;
  },
};

function fail(message: string): number {
  process.stderr.write(`aims header: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return EXIT_BAD_INPUT;
}

/** As `fitsheader` prints: a title line per HDU, the card images, a blank line between HDUs. */
export function headerText(file: string, hdus: Hdu[]): string {
  const blocks = hdus.map((hdu) => {
    const lines = [`# HDU ${hdu.index} in ${file}:`];
    for (const card of hdu.header.cards) {
      for (let at = 0; at < card.raw.length; at += CARD_LENGTH) lines.push(card.raw.slice(at, at + CARD_LENGTH));
    }
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

/** The JSON of the contract. Written by hand: integers beyond 2^53 are printed with all digits. */
export function headerJson(file: string, hdus: Hdu[]): string {
  const hduJson = hdus.map((hdu) => {
    const cards = hdu.header.cards.map(cardJson).join(',');
    return `{"index":${hdu.index},"type":${JSON.stringify(hdu.type)},"cards":[${cards}]}`;
  });
  return `{"file":${JSON.stringify(file)},"hdus":[${hduJson.join(',')}]}\n`;
}

function cardJson(card: Card): string {
  return `{"key":${JSON.stringify(card.key)},"value":${valueJson(card.value)},"comment":${JSON.stringify(card.comment)}}`;
}

function valueJson(value: CardValue): string {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${numberJson(value[0])},${numberJson(value[1])}]`;
  if (typeof value === 'number') return numberJson(value);
  return JSON.stringify(value);
}

/** JSON has no Infinity or NaN (a float like 1E400 overflows): those are given as strings. */
function numberJson(value: number): string {
  return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
}
