// The messages on a wire. Client → server: call, cancel, subscribe, unsubscribe.
// Server → client: result, event, end. Ids are chosen by the client and unique per wire.
import { z } from 'zod';
import type { ErrorDto } from '../contract/errors.ts';

const Id = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const ClientMessage = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('call'), id: Id, method: z.string().max(100), params: z.unknown() }),
  z.strictObject({ t: z.literal('cancel'), id: Id }),
  z.strictObject({ t: z.literal('subscribe'), id: Id, stream: z.string().max(100), params: z.unknown() }),
  z.strictObject({ t: z.literal('unsubscribe'), id: Id }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export type ServerMessage =
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: ErrorDto }
  /** seq counts events per subscription from 0, so a gap is visible. */
  | { t: 'event'; id: number; seq: number; data: unknown }
  | { t: 'end'; id: number; error?: ErrorDto };
