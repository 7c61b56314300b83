/** Every HDU's header, searchable by keyword, value or comment. */
import { useId, useMemo, useState } from 'react';
import type { HeaderHdu } from '../../api/types.js';
import { cardValue } from '../../lib/format.js';

export function HeaderTable({ hdus, initial }: { hdus: HeaderHdu[]; initial: number }) {
  const [hdu, setHdu] = useState(Math.min(initial, Math.max(0, hdus.length - 1)));
  const [query, setQuery] = useState('');
  const id = useId();
  const cards = hdus[hdu]?.cards ?? [];
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return cards;
    return cards.filter(
      (c) =>
        c.key.toLowerCase().includes(q) ||
        cardValue(c.value).toLowerCase().includes(q) ||
        c.comment.toLowerCase().includes(q),
    );
  }, [cards, query]);

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <div className="panel-head">
        <h2 id={`${id}-title`}>Header</h2>
        {hdus.length > 1 && (
          <div className="tabs" role="tablist" aria-label="HDU">
            {hdus.map((h, i) => (
              <button key={h.index} type="button" role="tab" aria-selected={i === hdu} onClick={() => setHdu(i)}>
                HDU {h.index} · {h.type}
              </button>
            ))}
          </div>
        )}
        <label htmlFor={id} className="visually-hidden">
          Search the header
        </label>
        <input
          id={id}
          type="search"
          className="header-search"
          placeholder="Search keyword, value, comment"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <span className="muted num">
          {shown.length} of {cards.length} cards
        </span>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling panel must take focus, or keyboard users cannot scroll it (WCAG 2.1.1; axe scrollable-region-focusable); the cells hold no focusable element */}
      <section className="scroll header-scroll" aria-label="Header cards" tabIndex={0}>
        <table className="data mono">
          <thead>
            <tr>
              <th scope="col">Keyword</th>
              <th scope="col">Value</th>
              <th scope="col">Comment</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: keys repeat (COMMENT, HISTORY): the position is the identity.
              <tr key={i}>
                <td className="card-key">{c.key}</td>
                <td className="card-value">{cardValue(c.value)}</td>
                <td className="muted">{c.comment}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </section>
  );
}
