/**
 * The console's lists, one way everywhere: words to search for, a from–to window (UTC), a sort
 * on any column (click its heading again to turn it), and pages — all kept in the address
 * (`?q=…&from=…&to=…&sort=…&order=asc&page=2`, beside the page's own filters), so a reload, a
 * bookmark or a link in a chat window shows the same rows. A page gives its rows, what to search
 * in, when each row happened and its sortable columns; it draws its own cells.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { go, type Route } from '../app/route';
import { readUtc, utcText } from '../app/utc';
import { UtcInput } from './UtcInput';

export interface ListColumn<R> {
  key: string;
  label: string;
  /** What the column sorts by; a column without it is not sortable. */
  sort?: (r: R) => string | number;
  className?: string;
}

export interface ListSpec<R> {
  /** The page's address without its query (`#/findings`). */
  base: string;
  route: Route;
  rows: readonly R[];
  columns: readonly ListColumn<R>[];
  /** The words a row is found by. */
  text: (r: R) => string;
  /** When the row happened (ms), for the from–to window; rows without one are kept. */
  time?: (r: R) => number | undefined;
  /** A row's own key, the last word in sorting so the order never wobbles. */
  id: (r: R) => string;
  defaultSort: string;
  /** Descending unless said (the newest first). */
  defaultOrder?: 'asc' | 'desc';
  pageSize?: number;
  /** Where a page has two lists, the second's keys in the address are prefixed (`r.q`, `r.sort`…). */
  prefix?: string;
}

export interface List<R> {
  spec: ListSpec<R>;
  /** Every row that passes search and window, sorted. */
  shown: R[];
  /** The rows of this page. */
  visible: R[];
  page: number;
  pages: number;
  sort: string;
  desc: boolean;
  /** Changes the address: `''` removes a key; any change but the page's goes back to page 1. Keys are the list's own (prefixed). */
  set: (changes: Record<string, string>) => void;
  /** This list's name for a key of the address. */
  key: (name: string) => string;
}

export function useList<R>(spec: ListSpec<R>): List<R> {
  const q = spec.route.query;
  const key = (name: string) => `${spec.prefix ?? ''}${name}`;
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(q);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(key(k), v);
      else next.delete(key(k));
    }
    if (!('page' in changes)) next.delete(key('page'));
    go(`${spec.base}${next.size ? `?${next}` : ''}`);
  };
  const needle = (q.get(key('q')) ?? '').trim().toLowerCase();
  const from = readUtc(q.get(key('from')) ?? '');
  const to = readUtc(q.get(key('to')) ?? '');
  const column = spec.columns.find((c) => c.key === q.get(key('sort')) && c.sort) ?? spec.columns.find((c) => c.key === spec.defaultSort)!;
  const order = q.get(key('order')) ?? (column.key === spec.defaultSort ? (spec.defaultOrder ?? 'desc') : 'desc');
  const desc = order !== 'asc';
  const words = needle.split(/\s+/).filter(Boolean);
  const by = column.sort!;
  const shown = spec.rows
    .filter((r) => {
      if (words.length) {
        const text = spec.text(r).toLowerCase();
        if (!text.includes(needle) && !words.every((w) => text.includes(w))) return false;
      }
      const t = spec.time?.(r);
      return t === undefined || ((!from.ok || t >= from.ms) && (!to.ok || t <= to.ms));
    })
    .sort((a, b) => {
      const x = by(a), y = by(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return (desc ? -c : c) || spec.id(a).localeCompare(spec.id(b));
    });
  const size = spec.pageSize ?? 50;
  const pages = Math.max(1, Math.ceil(shown.length / size));
  const page = Math.min(pages, Math.max(1, Number(q.get(key('page')) ?? '1') || 1));
  return { spec, shown, visible: shown.slice((page - 1) * size, page * size), page, pages, sort: column.key, desc, set, key };
}

/**
 * A time field whose value lives in the address: it shows the instant the address holds, keeps
 * what the officer types while it is not yet one, and follows the address when it changes
 * elsewhere (a reset button, back and forward).
 */
export function AddressUtcField(props: { label: string; iso: string; onIso: (iso: string) => void; size?: number }) {
  const [text, setText] = useState(() => shownUtc(props.iso));
  useEffect(() => {
    // Only a change of the address resets the text, and only when the text no longer stands for it.
    const typed = readUtc(text), held = readUtc(props.iso);
    const same = text.trim() === '' ? !held.ok : typed.ok && held.ok && typed.ms === held.ms;
    if (!same) setText(shownUtc(props.iso));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.iso]);
  return (
    <label>
      {props.label}
      <UtcInput
        text={text}
        size={props.size ?? 20}
        onText={(t, iso) => {
          setText(t);
          if (!t.trim()) props.onIso('');
          else if (iso) props.onIso(iso);
        }}
      />
    </label>
  );
}

function shownUtc(iso: string): string {
  const r = readUtc(iso);
  return r.ok ? utcText(r.ms) : '';
}

/** Search and from–to, the count, and whatever else the page filters by (children). */
export function ListFilters<R>(props: { list: List<R>; label: string; testid?: string; children?: ReactNode; window?: boolean; sort?: boolean }) {
  const { list } = props;
  const q = list.spec.route.query;
  const [search, setSearch] = useState(q.get(list.key('q')) ?? '');
  return (
    <div className="filters" role="group" aria-label={props.label}>
      <label>
        Search
        <input type="search" size={16} value={search} onChange={(e) => (setSearch(e.target.value), list.set({ q: e.target.value.trim() }))} />
      </label>
      {props.window !== false &&
        (
          [
            ['From (UTC)', 'from'],
            ['To (UTC)', 'to'],
          ] as const
        ).map(([label, key]) => <AddressUtcField key={key} label={label} iso={q.get(list.key(key)) ?? ''} onIso={(iso) => list.set({ [key]: iso })} />)}
      {props.sort && <ListSort list={list} />}
      {props.children}
      <span className="muted" data-testid={props.testid ?? 'list-count'}>
        {list.shown.length} of {list.spec.rows.length}
      </span>
    </div>
  );
}

/** For a list that is not a table: what it is sorted by, and which way. */
export function ListSort<R>(props: { list: List<R> }) {
  const { list } = props;
  return (
    <>
      <label>
        Sort by
        <select value={list.sort} onChange={(e) => list.set({ sort: e.target.value, order: list.desc ? 'desc' : 'asc' })}>
          {list.spec.columns
            .filter((c) => c.sort)
            .map((c) => (
              <option key={c.key} value={c.key}>
                {c.label}
              </option>
            ))}
        </select>
      </label>
      <label>
        Order
        <select value={list.desc ? 'desc' : 'asc'} onChange={(e) => list.set({ sort: list.sort, order: e.target.value })}>
          <option value="asc">ascending</option>
          <option value="desc">descending</option>
        </select>
      </label>
    </>
  );
}

/** The header row: each sortable column's heading a button that sorts by it, or turns the order. */
export function ListHead<R>(props: { list: List<R> }) {
  const { list } = props;
  return (
    <tr>
      {list.spec.columns.map((c) => (
        <th key={c.key} scope="col" className={c.className} aria-sort={list.sort === c.key ? (list.desc ? 'descending' : 'ascending') : undefined}>
          {c.sort ? (
            <button type="button" className="sort" onClick={() => list.set({ sort: c.key, order: list.sort === c.key && list.desc ? 'asc' : 'desc' })}>
              {c.label}
              {list.sort === c.key ? (list.desc ? ' ▼' : ' ▲') : ''}
            </button>
          ) : (
            c.label
          )}
        </th>
      ))}
    </tr>
  );
}

export function Pager<R>(props: { list: List<R>; label?: string }) {
  const { list } = props;
  if (list.pages <= 1) return null;
  return (
    <nav className="pager" aria-label={props.label ? `Pages of ${props.label}` : 'Pages'}>
      <button type="button" disabled={list.page <= 1} onClick={() => list.set({ page: String(list.page - 1) })}>
        Previous
      </button>{' '}
      <span data-testid="page-of">
        page {list.page} of {list.pages}
      </span>{' '}
      <button type="button" disabled={list.page >= list.pages} onClick={() => list.set({ page: String(list.page + 1) })}>
        Next
      </button>
    </nav>
  );
}

/** A table that may be wider than the screen (200 % zoom, a narrow window): it scrolls in its own box, which the keyboard can reach. */
export function TableScroll(props: { label: string; children: ReactNode }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
    <div className="table-scroll" role="region" aria-label={props.label} tabIndex={0}>
      {props.children}
    </div>
  );
}
