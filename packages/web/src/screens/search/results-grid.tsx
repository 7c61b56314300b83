/** The results as a grid of previews: loaded pages only, with "show more" to fetch the next. */
import { previewUrl } from '../../api/endpoints.js';
import type { ImageItem } from '../../api/types.js';
import { PreviewImage } from '../../components/preview-image.js';
import { num, utc } from '../../lib/format.js';
import { Link } from '../../lib/router.js';
import { QualityBadge } from './columns.js';
import { PAGE_SIZE, type PagedResults } from './paged-results.js';

interface Props {
  results: PagedResults;
  selected: ReadonlySet<number>;
  onToggle(id: number, row: ImageItem): void;
  selectable: boolean;
}

export function ResultsGrid({ results, selected, onToggle, selectable }: Props) {
  const rows = results.loadedRows();
  const total = results.total ?? 0;
  return (
    <div className="results-grid-wrap">
      <ul className="results-grid" aria-label="Search results">
        {rows.map((row) => (
          <li key={row.id} className={`tile ${selected.has(row.id) ? 'selected' : ''}`}>
            <Link href={`/images/${row.id}`} className="tile-link">
              <PreviewImage
                className="tile-img"
                src={previewUrl(row.id)}
                alt={`Preview of ${row.file_name ?? row.id}`}
                loading="lazy"
                decoding="async"
              />
            </Link>
            <div className="tile-meta">
              <span className="tile-title" title={row.file_name}>
                {row.object_name ?? row.image_type ?? 'frame'} · {row.filter_name ?? '–'} · {num(row.exptime, 0)} s
              </span>
              <span className="tile-sub">
                {utc(row.date_obs)} <QualityBadge score={row.quality_score} flag={row.quality_flag} />
              </span>
            </div>
            {selectable && (
              <input
                className="tile-check"
                type="checkbox"
                checked={selected.has(row.id)}
                onChange={() => onToggle(row.id, row)}
                aria-label={`Select ${row.file_name ?? `image ${row.id}`}`}
              />
            )}
          </li>
        ))}
      </ul>
      {rows.length < total && (
        <button type="button" className="btn" onClick={() => results.ensure(rows.length, rows.length + PAGE_SIZE)}>
          Show more ({rows.length} of{' '}
          {results.moreThan === undefined
            ? total.toLocaleString('en-US')
            : `more than ${results.moreThan.toLocaleString('en-US')}`}
          )
        </button>
      )}
    </div>
  );
}
