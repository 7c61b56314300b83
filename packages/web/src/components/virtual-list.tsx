/**
 * Windowing for long lists: only the rows in view (plus a few above and below) are in the DOM, so a
 * table of a million frames scrolls as fast as one of fifty. Rows have one fixed height, which is
 * what a dense table wants anyway and makes the arithmetic exact.
 */
import { type ReactNode, type UIEvent, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

export interface VirtualListProps {
  count: number;
  rowHeight: number;
  /** Rows rendered beyond each edge of the view. */
  overscan?: number;
  renderRow(index: number, style: React.CSSProperties): ReactNode;
  /** Called with the range of rows in view (first inclusive, last exclusive). */
  onRangeChange?(start: number, end: number): void;
  header?: ReactNode;
  className?: string;
  /** Accessible name of the scrolling region. */
  label: string;
  /** Height used before the element is measured (jsdom has no layout). */
  initialHeight?: number;
  role?: string;
  ariaRowCount?: number;
  onKeyDown?(event: React.KeyboardEvent<HTMLDivElement>): void;
}

export function visibleRange(scrollTop: number, height: number, rowHeight: number, count: number, overscan: number) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  return { first, last };
}

export function VirtualList(props: VirtualListProps) {
  const { count, rowHeight, overscan = 8, renderRow, onRangeChange, header, className, label } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(props.initialHeight ?? 600);

  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      if (element.clientHeight > 0) setHeight(element.clientHeight);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const onScroll = useCallback((event: UIEvent<HTMLDivElement>) => setScrollTop(event.currentTarget.scrollTop), []);
  const { first, last } = visibleRange(scrollTop, height, rowHeight, count, overscan);

  useEffect(() => {
    onRangeChange?.(first, last);
  }, [first, last, onRangeChange]);

  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++)
    rows.push(renderRow(i, { position: 'absolute', top: i * rowHeight, height: rowHeight, left: 0, right: 0 }));

  return (
    <div
      ref={ref}
      className={`vlist ${className ?? ''}`}
      onScroll={onScroll}
      onKeyDown={props.onKeyDown}
      tabIndex={0}
      role={props.role}
      aria-label={label}
      aria-rowcount={props.ariaRowCount}
    >
      {header}
      <div className="vlist-body" style={{ height: count * rowHeight, position: 'relative' }} role="rowgroup">
        {rows}
      </div>
    </div>
  );
}
