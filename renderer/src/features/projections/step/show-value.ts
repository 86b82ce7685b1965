// Values of a state or an event in one line: JSON cut to a length, bytes as their size, and
// "absent" for a value that is not there (a key a state does not have).

export function showValue(value: unknown, max = 160): string {
  if (value === undefined) return '(absent)';
  if (value instanceof Uint8Array) return `(${value.length} bytes, not text)`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
