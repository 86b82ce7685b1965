// Numbers formatted for reading. Offsets and counts arrive as decimal strings (int64) and
// are never passed through floating point.

/** 1204331 → "1,204,331"; works on decimal strings of any length. */
export function formatCount(value: string | number | bigint): string {
  const text = typeof value === 'string' ? value : value.toString();
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  if (!/^\d+$/.test(digits)) return text;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return negative ? `-${grouped}` : grouped;
}

/** 3_355_443 → "3.2 MB" (binary multiples, as file managers show). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
