// How many characters of a font (given by a CSS class) fit across an element, plus a few so
// a cut text still overflows into its ellipsis. Follows the element's width as the window or
// a pane resizes.
import { useEffect, useState, type RefObject } from 'react';

const SPARE_CHARS = 4;

export function useFittingChars(ref: RefObject<HTMLElement | null>, fontClass: string, fallback: number): number {
  const [chars, setChars] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const context = document.createElement('canvas').getContext('2d');
    const measure = (): void => {
      if (!context) return;
      const probe = document.createElement('span');
      probe.className = fontClass;
      el.appendChild(probe);
      context.font = getComputedStyle(probe).font;
      probe.remove();
      // Wide characters (CJK, emoji) take more room than this: cutting by it still shows a full cell.
      const charWidth = context.measureText('0').width;
      if (charWidth > 0 && el.clientWidth > 0) setChars(Math.ceil(el.clientWidth / charWidth) + SPARE_CHARS);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, fontClass]);
  return chars;
}
