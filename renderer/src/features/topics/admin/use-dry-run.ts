// The one flow of every topic-administration dialog: inputs checked on the page (bad input says
// what is wrong and sends nothing), Preview (the host's dry run: nothing changes), then the
// change itself after a confirmation. A preview is good only for the inputs it was made from:
// change an input and the action needs a new preview.
import { useState } from 'react';
import type { z } from 'zod';

/** The inputs as a request, or what is wrong with them (field: the request's field it is about). */
export type Checked<P> = { ok: P } | { problem: string; field: string | null };

/** Checks a form's request with the contract's own schema: the same words the host would answer with. */
export function check<S extends z.ZodType>(schema: S, value: unknown): Checked<z.output<S>> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length > 0 ? String(issue.path[0]) : null;
  return { problem: issue.message, field };
}

/** A whole number typed in a form: null when empty, NaN when not a whole number. */
export function wholeNumber(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  return /^-?\d+$/.test(t) ? Number(t) : Number.NaN;
}

export interface DryRunFlow<R> {
  /** The dry run's answer for the current inputs (null once an input changed). */
  preview: R | null;
  /** The answer of the change, once made. */
  done: R | null;
  busy: boolean;
  error: unknown;
  confirming: boolean;
  /** What is wrong with the inputs, shown after Preview or the action was pressed with them. */
  problem: { message: string; field: string | null } | null;
  askPreview(): Promise<void>;
  askConfirm(): void;
  cancelConfirm(): void;
  execute(): Promise<void>;
}

export function useDryRun<P, R>(
  request: Checked<P>,
  send: (params: P, dryRun: boolean) => Promise<R>,
  onDone?: (result: R) => void,
): DryRunFlow<R> {
  const [preview, setPreview] = useState<{ key: string; result: R } | null>(null);
  const [done, setDone] = useState<R | null>(null);
  const [busy, setBusy] = useState(false);
  /** The host's refusal, shown while the inputs are those it refused. */
  const [error, setError] = useState<{ key: string | null; error: unknown } | null>(null);
  const [confirmingKey, setConfirmingKey] = useState<string | null>(null);
  const [shownProblem, setShownProblem] = useState(false);
  const key = 'ok' in request ? JSON.stringify(request.ok) : null;
  const current = preview !== null && preview.key === key ? preview.result : null;
  const problem = 'problem' in request && shownProblem ? { message: request.problem, field: request.field } : null;

  const call = async (dryRun: boolean): Promise<R | null> => {
    if (!('ok' in request)) {
      setShownProblem(true);
      return null;
    }
    setBusy(true);
    setError(null);
    try {
      return await send(request.ok, dryRun);
    } catch (err) {
      setError({ key, error: err });
      return null;
    } finally {
      setBusy(false);
    }
  };

  return {
    preview: current,
    done,
    busy,
    error: error !== null && error.key === key ? error.error : null,
    confirming: confirmingKey !== null && confirmingKey === key && current !== null,
    problem,
    askPreview: async () => {
      setDone(null);
      setConfirmingKey(null);
      const answer = await call(true);
      if (answer !== null && key !== null) setPreview({ key, result: answer });
    },
    askConfirm: () => {
      if (current !== null) setConfirmingKey(key);
    },
    cancelConfirm: () => setConfirmingKey(null),
    execute: async () => {
      if (current === null) return;
      const answer = await call(false);
      setConfirmingKey(null);
      if (answer !== null) {
        setDone(answer);
        setPreview(null);
        onDone?.(answer);
      }
    },
  };
}
