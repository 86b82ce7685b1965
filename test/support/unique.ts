// Names no other test run uses, for topics, groups and connections on a shared broker.
// Deliberately not seeded (test/support/seeded-random.ts): a repeated run with the seed of a
// failure must not collide with the topics that run left behind.
import { randomBytes } from 'node:crypto';

let counter = 0;

/** A name no other test run uses, for topics and connections on a shared broker. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}${counter.toString(36)}`;
}
