/**
 * Routes live in the URL fragment (`#/findings/ab12…`): a bookmark or a link in a chat window
 * opens the same view, and the node serves one file for every route.
 */
import { useEffect, useState } from 'react';

export interface Route {
  section: string;
  /** Path segments after the section, decoded. */
  rest: string[];
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const [path = '', q = ''] = h.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { section: parts[0] ?? 'dashboard', rest: parts.slice(1), query: new URLSearchParams(q) };
}

export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return parseRoute(hash);
}

export function href(...parts: string[]): string {
  return '#/' + parts.map(encodeURIComponent).join('/');
}

export function go(to: string): void {
  window.location.hash = to.replace(/^#/, '');
}

export function entryHref(id: string): string {
  return href('entry', id);
}
