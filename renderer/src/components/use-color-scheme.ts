// The OS's colour scheme (light or dark), followed live. The theme itself is pure CSS
// (styles/tokens.css, prefers-color-scheme); this is for what CSS cannot reach: canvas charts
// (uPlot) resolve token colours when drawn, so they are redrawn when the scheme changes.
import { useSyncExternalStore } from 'react';

const QUERY = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const media = window.matchMedia(QUERY);
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}

function current(): 'light' | 'dark' {
  return window.matchMedia(QUERY).matches ? 'dark' : 'light';
}

export function useColorScheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, current, () => 'light');
}
