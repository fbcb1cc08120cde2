/**
 * Light or dark: the system's choice (prefers-color-scheme) unless the officer picks one, kept in
 * this browser. The effective theme is `data-theme` on <html>, which app/console.css reads.
 */
import { useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'parley.theme';
const ORDER: ThemeChoice[] = ['system', 'light', 'dark'];

function stored(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

/** Sets data-theme on <html> from the choice kept in this browser and the system's preference. */
export function applyTheme(choice: ThemeChoice = stored()): void {
  const dark = choice === 'dark' || (choice === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>(stored);
  useEffect(() => {
    applyTheme(choice);
    if (choice !== 'system') return;
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = () => applyTheme('system');
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, [choice]);
  const next = ORDER[(ORDER.indexOf(choice) + 1) % ORDER.length]!;
  return (
    <button
      type="button"
      className="theme-toggle"
      data-testid="theme-toggle"
      title={`Theme: ${choice} (click for ${next})`}
      onClick={() => {
        if (next === 'system') localStorage.removeItem(KEY);
        else localStorage.setItem(KEY, next);
        setChoice(next);
      }}
    >
      {choice === 'system' ? 'Theme: auto' : choice === 'light' ? 'Theme: light' : 'Theme: dark'}
    </button>
  );
}
