import type { HeaderLike } from '@aims/fits';
import type { Resolved } from './field-rule.js';
import { show } from './value-parsers.js';

/** One-card filter names: MaxIm/N.I.N.A./Ekos/Seestar FILTER, HST FILTNAM, NOAO FILT-NAM… */
export const FILTER_KEYWORDS = [
  'FILTER',
  'FILTNAM',
  'FILT-NAM',
  'FILTNAME',
  'FILTERID',
  'FILTER_NAME',
  'INSFLNAM',
] as const;

/** Wheels in series, combined as 'B+ND1': HST ACS/WFPC2, dual-wheel amateur set-ups, ESO. */
export const FILTER_WHEEL_GROUPS = [
  ['FILTER1', 'FILTER2', 'FILTER3'],
  ['FILTNAM1', 'FILTNAM2'],
  ['ESO INS FILT1 NAME', 'ESO INS FILT2 NAME', 'ESO INS FILT3 NAME', 'ESO INS FILT4 NAME'],
] as const;

/** Words for an empty wheel position. */
const NO_FILTER = /^(none|open|empty|n\/?a|null|blank|nofilter|no filter|-+)\d*$/i;
/** Clear glass: a real filter when alone ('Clear', 'L'…), dropped when combined with another. */
const CLEAR = /^(clear|clr)\w*$/i;

type Component = { key: string; text: string };

/** Names in a group of wheels, or a reason why the group names nothing. */
function combine(components: Component[]): { name: string } | { reason: string } {
  const present = components.filter((c) => !NO_FILTER.test(c.text));
  const coloured = present.filter((c) => !CLEAR.test(c.text));
  const chosen = coloured.length > 0 ? coloured : present.slice(0, 1);
  if (chosen.length === 0) {
    const listed = components.map((c) => `${c.key} '${c.text}'`).join(', ');
    return { reason: `${listed}: no filter in the beam` };
  }
  return { name: chosen.map((c) => c.text).join('+') };
}

function textOf(header: HeaderLike, key: string, refused: string[]): string | undefined {
  const value = header.get(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    refused.push(`${key} ${show(value)} is not a filter name`);
    return undefined;
  }
  const text = value.trim();
  return text === '' ? undefined : text;
}

/** ESO's numbered optical elements: INS OPTI-n NAME where INS OPTI-n TYPE is 'FILTER'. */
function esoOpticalFilters(header: HeaderLike): Component[] {
  const found: Component[] = [];
  for (let n = 1; n <= 12; n++) {
    const type = header.get(`ESO INS OPTI-${n} TYPE`);
    if (typeof type !== 'string' || type.trim().toUpperCase() !== 'FILTER') continue;
    const nameValue = header.get(`ESO INS OPTI-${n} NAME`);
    if (typeof nameValue === 'string' && nameValue.trim() !== '') {
      found.push({ key: `ESO INS OPTI-${n} NAME`, text: nameValue.trim() });
    }
  }
  return found;
}

export function resolveFilterName(header: HeaderLike): Resolved<string> {
  const refused: string[] = [];
  const result = (value: string, source: string): Resolved<string> =>
    refused.length > 0 ? { value, source, reason: `${refused.join('; ')}; used ${source}` } : { value, source };

  for (const key of FILTER_KEYWORDS) {
    const text = textOf(header, key, refused);
    if (text === undefined) continue;
    if (NO_FILTER.test(text)) {
      refused.push(`${key} '${text}' names no filter`);
      continue;
    }
    return result(text, key);
  }

  const groups: Component[][] = FILTER_WHEEL_GROUPS.map((group) =>
    group.flatMap((key) => {
      const text = textOf(header, key, refused);
      return text === undefined ? [] : [{ key, text }];
    }),
  );
  groups.push(esoOpticalFilters(header));
  for (const components of groups) {
    if (components.length === 0) continue;
    const combined = combine(components);
    if ('reason' in combined) {
      refused.push(combined.reason);
      continue;
    }
    return result(combined.name, components.map((c) => c.key).join('+'));
  }
  return {
    value: null,
    reason: refused.length > 0 ? refused.join('; ') : 'no FILTER, FILTNAM, FILTER1/FILTER2 or INSFLNAM',
  };
}
