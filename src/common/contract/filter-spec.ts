// What a record filter is, as the contract carries it (log.search) and the page keeps it in
// its address: contains, a regular expression (RE2 flags), or a JSON path equal to a value.
// Here and not in src/common/filters, so the contract imports nothing outside itself; the filter
// code (src/common/filters/record-filter.ts) compiles this spec.
import { z } from 'zod';

export const FilterSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('contains'), text: z.string().min(1).max(10_000) }),
  z.strictObject({
    kind: z.literal('regex'),
    pattern: z.string().min(1).max(10_000),
    flags: z
      .string()
      .regex(/^[imsu]*$/)
      .default(''),
  }),
  z.strictObject({ kind: z.literal('jsonPath'), path: z.string().min(1).max(1_000), equals: z.string().max(10_000) }),
]);
export type FilterSpec = z.infer<typeof FilterSpec>;
