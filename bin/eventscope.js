#!/usr/bin/env node
// The eventscope command. Runs the built CLI (out/main/cli.js); see src/node/host/cli.ts.
import { existsSync } from 'node:fs';

import { requireNode24 } from './require-node-24.mjs';

requireNode24();
const built = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(built)) {
  console.error('eventscope: the app is not built yet. Run "npm run build" in the project folder first.');
  process.exit(1);
}
const { runCli } = await import(built.href);
await runCli(process.argv.slice(2));
