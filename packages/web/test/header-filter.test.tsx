// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImageFilters } from '../src/api/types.js';
import { COMMON_KEYWORDS, suggestedKeywords } from '../src/lib/header-conditions.js';
import { FilterPanel } from '../src/screens/search/filter-panel.js';
import { SearchScreen } from '../src/screens/search-screen.js';
import { EMPTY_FACETS } from './support/facets.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function panel(filters: ImageFilters = {}) {
  const onChange = vi.fn<(filters: ImageFilters) => void>();
  render(<FilterPanel filters={filters} facets={undefined} onChange={onChange} />);
  const group = within(screen.getByRole('group', { name: 'Header keywords' }));
  return {
    onChange,
    group,
    keyword: group.getByRole('combobox', { name: 'Keyword' }) as HTMLInputElement,
    operator: group.getByRole('combobox', { name: 'Operator' }) as HTMLSelectElement,
    value: group.getByRole('textbox', { name: 'Value' }) as HTMLInputElement,
    add: group.getByRole('button', { name: 'Add' }),
  };
}

describe('the header-keyword filter', () => {
  it('adds a condition with the keyword upper-cased, in the API form', () => {
    const { onChange, keyword, operator, value, add } = panel({ filter_name: 'Ha' });
    fireEvent.change(keyword, { target: { value: 'focpos' } });
    expect(keyword.value).toBe('FOCPOS');
    fireEvent.change(operator, { target: { value: '>=' } });
    fireEvent.change(value, { target: { value: '12340' } });
    fireEvent.click(add);
    expect(onChange).toHaveBeenCalledExactlyOnceWith({ filter_name: 'Ha', 'header.FOCPOS>': '12340' });
    // The row is cleared for the next condition.
    expect(keyword.value).toBe('');
    expect(value.value).toBe('');
  });

  it('goes from the keyword to the value on Enter, and adds on Enter in the value field', () => {
    const { onChange, keyword, value } = panel();
    fireEvent.change(keyword, { target: { value: 'imagetyp' } });
    keyword.focus();
    fireEvent.keyDown(keyword, { key: 'Enter' });
    expect(document.activeElement).toBe(value);
    expect(screen.queryByText('Value: required')).toBeNull();
    fireEvent.change(value, { target: { value: ' Light Frame ' } });
    fireEvent.keyDown(value, { key: 'Enter' });
    expect(onChange).toHaveBeenCalledExactlyOnceWith({ 'header.IMAGETYP': 'Light Frame' });
  });

  it('shows an inline error for a range value that is not a number, and sends nothing', () => {
    const { onChange, keyword, operator, value, add } = panel();
    fireEvent.change(keyword, { target: { value: 'CCD-TEMP' } });
    fireEvent.change(operator, { target: { value: '<=' } });
    fireEvent.change(value, { target: { value: 'cold' } });
    const error = '≤ needs a number, e.g. 12340 or -9.5';
    expect(screen.getByText(error)).toBeTruthy();
    expect(value.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(value.getAttribute('aria-describedby')!)?.textContent).toBe(error);
    fireEvent.click(add);
    fireEvent.keyDown(value, { key: 'Enter' });
    expect(onChange).not.toHaveBeenCalled();
    // "=" takes text: the error goes.
    fireEvent.change(operator, { target: { value: '=' } });
    expect(screen.queryByText(error)).toBeNull();
    // A number fixes it.
    fireEvent.change(operator, { target: { value: '<=' } });
    fireEvent.change(value, { target: { value: '-9,5' } });
    expect(screen.queryByText(error)).toBeNull();
    fireEvent.click(add);
    expect(onChange).toHaveBeenCalledExactlyOnceWith({ 'header.CCD-TEMP<': '-9.5' });
  });

  it('says what is missing or not a keyword', () => {
    const { onChange, keyword, value, add } = panel();
    fireEvent.click(add);
    expect(screen.getByText('Keyword: required')).toBeTruthy();
    expect(screen.getByText('Value: required')).toBeTruthy();
    fireEvent.change(keyword, { target: { value: 'FOC/POS' } });
    fireEvent.change(value, { target: { value: '1' } });
    expect(screen.getByText(/^Keyword: letters, digits/)).toBeTruthy();
    expect(keyword.getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(add);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('shows each active condition as a chip that removes it', () => {
    const { onChange, group } = panel({
      object: 'M 13',
      'header.FOCPOS>': '12000',
      'header.FOCPOS<': '12500',
      'header.FILTER': 'Ha',
    });
    const list = within(group.getByRole('list', { name: 'Header conditions' }));
    expect(list.getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual([
      'Remove FOCPOS ≥ 12000',
      'Remove FOCPOS ≤ 12500',
      'Remove FILTER = Ha',
    ]);
    fireEvent.click(list.getByRole('button', { name: 'Remove FOCPOS ≤ 12500' }));
    expect(onChange).toHaveBeenCalledExactlyOnceWith({
      object: 'M 13',
      'header.FOCPOS>': '12000',
      'header.FILTER': 'Ha',
    });
  });

  it('suggests common keywords', () => {
    const { keyword } = panel();
    const options = [...(document.getElementById(keyword.getAttribute('list')!)?.querySelectorAll('option') ?? [])];
    expect(options.map((o) => o.value)).toEqual(expect.arrayContaining(['FOCPOS', 'CCD-TEMP', 'EXPTIME', 'FILTER']));
  });
});

describe('keyword suggestions', () => {
  it("are the catalog's keywords when it sent them all, else theirs and the common ones", () => {
    expect(suggestedKeywords(undefined)).toBe(COMMON_KEYWORDS);
    expect(suggestedKeywords({ keywords: [], complete: true })).toBe(COMMON_KEYWORDS);
    expect(suggestedKeywords({ keywords: ['ESO DET DIT', 'FOCPOS'], complete: true })).toEqual([
      'ESO DET DIT',
      'FOCPOS',
    ]);
    const merged = suggestedKeywords({ keywords: ['AAA', 'FOCPOS'], complete: false });
    expect(merged).toEqual(expect.arrayContaining(['AAA', 'FOCPOS', 'EXPTIME', 'CCD-TEMP']));
    expect(merged.filter((k) => k === 'FOCPOS')).toHaveLength(1);
  });

  it('come from GET /api/images/keywords in the search screen', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        const path = String(input).split('?')[0];
        if (path === '/api/images/keywords')
          return Response.json({ keywords: ['ESO DET DIT', 'FOCPOS'], complete: true });
        if (path === '/api/images') return Response.json({ total: 1, total_exact: true, items: [{ id: 1 }] });
        return Response.json({ message: 'not here' }, { status: 404 });
      }),
    );
    render(<SearchScreen search="" canDownload={false} isAdmin={false} />);
    const keyword = screen.getByRole('combobox', { name: 'Keyword' });
    const options = () => [
      ...(document.getElementById(keyword.getAttribute('list')!)?.querySelectorAll('option') ?? []),
    ];
    await waitFor(() => expect(options().map((o) => o.value)).toEqual(['ESO DET DIT', 'FOCPOS']));
  });
});

describe('header conditions reach every request of the search screen', () => {
  it('sends them to the page, the facets, the CSV export and the ZIP of every match', async () => {
    const calls: Array<{ url: string; body?: string }> = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = String(input);
        calls.push({ url, ...(typeof init?.body === 'string' ? { body: init.body } : {}) });
        const path = url.split('?')[0];
        if (path === '/api/images')
          return Response.json({ total: 2, total_exact: true, items: [{ id: 1 }, { id: 2 }], next_cursor: null });
        if (path === '/api/images/facets') return Response.json(EMPTY_FACETS);
        if (path === '/api/downloads') return new Response(new Uint8Array([80, 75]), { status: 200 });
        return Response.json({ message: `no route ${path}` }, { status: 404 });
      }),
    );
    // The saved ZIP: no object URLs nor navigation in jsdom.
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => {} }));
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    render(
      <SearchScreen
        search="?header.FOCPOS%3E=12340&header.CCD-TEMP%3C=-9.5&filter_name=Ha"
        canDownload
        isAdmin={false}
      />,
    );
    expect(await screen.findByRole('heading', { name: '2 frames' })).toBeTruthy();
    const params = (prefix: string) => {
      const call = calls.find((c) => c.url.startsWith(prefix));
      expect(call, prefix).toBeDefined();
      return new URL(call!.url, 'http://x').searchParams;
    };
    for (const search of [params('/api/images?'), params('/api/images/facets?')]) {
      expect(search.get('header.FOCPOS>')).toBe('12340');
      expect(search.get('header.CCD-TEMP<')).toBe('-9.5');
    }
    const csv = new URL(screen.getByRole('link', { name: 'Export CSV' }).getAttribute('href')!, 'http://x');
    expect(csv.searchParams.get('header.FOCPOS>')).toBe('12340');
    expect(csv.searchParams.get('header.CCD-TEMP<')).toBe('-9.5');
    expect(csv.searchParams.get('format')).toBe('csv');

    fireEvent.click(screen.getByRole('button', { name: 'Download all 2 as ZIP' }));
    await waitFor(() => expect(calls.some((c) => c.url === '/api/downloads')).toBe(true));
    const body = JSON.parse(calls.find((c) => c.url === '/api/downloads')!.body!) as { filters: ImageFilters };
    expect(body.filters).toEqual({ filter_name: 'Ha', 'header.FOCPOS>': '12340', 'header.CCD-TEMP<': '-9.5' });
    // Counted with the other filters.
    expect(screen.getByRole('button', { name: 'Clear 3' })).toBeTruthy();
  });
});
