// Reads a JSON file the app keeps (saved connections, secrets): a missing file is "nothing saved
// yet", a file that is not JSON is a BAD_CONFIG error naming the file and what to do about it.
import { readFile } from 'node:fs/promises';
import { EventscopeError } from '../../common/contract/errors.ts';

/** The file's parsed JSON, or `undefined` when there is no file; `advice` ends the error of a file that is not JSON. */
export async function readJsonFile(path: string, advice: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EventscopeError('BAD_CONFIG', `${path} is not valid JSON. ${advice}`);
  }
}
