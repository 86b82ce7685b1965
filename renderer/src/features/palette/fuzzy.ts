// The palette's filter: the query's characters must appear in the label in order (case
// ignored), not necessarily together, so "ordv" finds "orders-v2". Matches are ranked: a match
// at the start of the label or of a word, and characters that follow each other, count most;
// then the shorter label. Pure, so it is tested on its own (test/unit/palette-fuzzy.test.ts).

export interface FuzzyMatch {
  score: number;
  /** Indexes of the label's characters that matched (to highlight them). */
  positions: number[];
}

const WORD_START = /[\s\-_./:@]/;

/** How well `label` matches `query`, or null when it does not. An empty query matches everything equally. */
export function fuzzyMatch(query: string, label: string): FuzzyMatch | null {
  const q = query.trim().toLowerCase();
  if (q === '') return { score: 0, positions: [] };
  const text = label.toLowerCase();
  // A plain substring is the best kind of match: prefer it to a scattered one.
  const at = text.indexOf(q);
  if (at >= 0) {
    const startBonus = at === 0 ? 30 : WORD_START.test(text[at - 1]!) ? 20 : 0;
    return {
      score: 100 + startBonus + q.length * 4 - label.length * 0.1,
      positions: Array.from({ length: q.length }, (_, i) => at + i),
    };
  }
  const positions: number[] = [];
  let score = 0;
  let from = 0;
  for (const ch of q) {
    if (ch === ' ') continue;
    const i = text.indexOf(ch, from);
    if (i < 0) return null;
    const previous = positions[positions.length - 1];
    if (previous !== undefined && i === previous + 1) score += 5;
    if (i === 0 || WORD_START.test(text[i - 1]!)) score += 3;
    score -= Math.min(i - from, 10) * 0.5;
    positions.push(i);
    from = i + 1;
  }
  return { score: score - label.length * 0.1, positions };
}

/** The items that match, best first (ties keep their order). */
export function fuzzyFilter<T>(
  query: string,
  items: readonly T[],
  labelOf: (item: T) => string,
): { item: T; match: FuzzyMatch }[] {
  const out: { item: T; match: FuzzyMatch; order: number }[] = [];
  items.forEach((item, order) => {
    const match = fuzzyMatch(query, labelOf(item));
    if (match) out.push({ item, match, order });
  });
  return out
    .sort((a, b) => b.match.score - a.match.score || a.order - b.order)
    .map(({ item, match }) => ({ item, match }));
}
