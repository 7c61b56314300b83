/** Builders of FITS bytes for tests: cards and headers from text. */

/** An 80-byte card image from text (padded with blanks, Latin-1 bytes kept as they are). */
export function cardBytes(text: string): Uint8Array {
  const padded = text.padEnd(80, ' ').slice(0, 80);
  return Uint8Array.from(padded, (ch) => ch.charCodeAt(0));
}

/** A header from card texts: END appended, padded with blanks to whole 2880-byte blocks. */
export function headerBytes(cards: string[], { end = true, pad = true } = {}): Uint8Array {
  const text = [...cards, ...(end ? ['END'] : [])].map((c) => c.padEnd(80, ' ').slice(0, 80)).join('');
  const length = pad ? Math.ceil(text.length / 2880) * 2880 : text.length;
  return Uint8Array.from(text.padEnd(length, ' '), (ch) => ch.charCodeAt(0));
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
