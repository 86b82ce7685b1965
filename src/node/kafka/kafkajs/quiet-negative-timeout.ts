// kafkajs 2.2.4 schedules a timer with a negative delay whenever its request queue is
// idle; Node ≥ 23 prints a TimeoutNegativeWarning for each. The timer works as intended
// (clamped to 1 ms), so that one warning type is dropped, and only it.
let installed = false;

export function quietNegativeTimeoutWarnings(): void {
  if (installed) return;
  installed = true;
  const original = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    const name = warning instanceof Error ? warning.name : type;
    if (name === 'TimeoutNegativeWarning' || type === 'TimeoutNegativeWarning') return;
    (original as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}
