// Where a row of a virtualised list sits: out of the flow, at the offset the virtualiser gave it,
// one fixed height. Moved by transform, not top, so scrolling re-composites instead of re-laying out.
import type { CSSProperties } from 'react';

export function virtualRowStyle(start: number, height: number): CSSProperties {
  return { position: 'absolute', top: 0, left: 0, right: 0, height, transform: `translateY(${start}px)` };
}
