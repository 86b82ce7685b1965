// Lint, including the layer rules of docs/architecture.md. Do not relax the layer rules:
// they are what keeps the core testable without Electron and the renderer sandboxable.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
// The tree is the list: src/common/ is universal (the renderer and Node), src/node/ is Node-only.
const NODE_ONLY_CORE = ['**/src/node/**'];
const UNIVERSAL = ['src/common/**'];

const noImports = (paths, patterns, message) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((name) => ({ name, message })),
      patterns: patterns.map((group) => ({ group: [group], message })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.{js,mjs,ts}'], ignores: ['renderer/**'], languageOptions: { globals: globals.node } },
  { files: ['renderer/**/*.{ts,tsx}'], languageOptions: { globals: globals.browser } },
  {
    // The two rules of hooks: a hook called conditionally, or an effect missing a dependency,
    // is a bug React does not report at run time (stale values, effects that never re-run).
    // useHostCall and usePolledCall take a callback and its dependencies as useEffect does:
    // their callers' lists are checked the same way.
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': ['warn', { additionalHooks: '^(useHostCall|usePolledCall)$' }],
    },
  },
  {
    // The core: no Electron, no React, nothing from the shells that use it.
    files: ['src/**/*.ts'],
    rules: noImports(
      ['electron', 'react', 'react-dom'],
      ['**/main/**', '**/renderer/**', 'react-dom/*', 'zustand'],
      'src/ is the core: it must not depend on Electron, React or the shells (docs/architecture.md).',
    ),
  },
  {
    // The universal core runs in the renderer and on Node: no node:*, no Node-only core, no DOM.
    files: UNIVERSAL,
    rules: {
      ...noImports(
        ['electron', 'react', 'kafkajs', 'ws', ...nodeBuiltins],
        ['**/main/**', '**/renderer/**', ...NODE_ONLY_CORE, 'node:*'],
        'Universal core (src/common/): no Node builtins, Node-only core or Electron (docs/architecture.md).',
      ),
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'localStorage',
        'navigator',
        'process',
        'Buffer',
        'require',
      ],
    },
  },
  {
    // The renderer is a sandboxed web page: no Electron, no Node, no Node-only core.
    files: ['renderer/**/*.{ts,tsx}'],
    rules: noImports(
      ['electron', 'kafkajs', 'ws', ...nodeBuiltins],
      ['**/main/**', ...NODE_ONLY_CORE, 'node:*'],
      'renderer/ is a sandboxed page: it may import only the universal core (docs/architecture.md).',
    ),
  },
);
