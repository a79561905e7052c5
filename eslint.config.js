// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import regexp from 'eslint-plugin-regexp';
import vitest from '@vitest/eslint-plugin';
import tseslint from 'typescript-eslint';
import { isolatedTestFiles } from './vitest.isolated-files.js';

/** Library sources must run unchanged on Node.js, Deno, Bun, browsers and workerd. */
const librarySources = [
  'packages/okta-auth-core/src/**/*.ts',
  'packages/okta-ssws/src/**/*.ts',
  'packages/okta-oauth/src/**/*.ts',
  'packages/okta-token-store-durable-object/src/**/*.ts',
  'packages/okta-token-store-redis/src/**/*.ts',
];
const testFiles = ['**/*.test.ts', '**/test/**', '**/test-helpers/**'];
/** Every package's and app's source (library, emulator, CLI, demo), test helpers included. */
const sourceFiles = ['packages/*/src/**/*.ts', 'apps/*/src/**/*.ts'];

/**
 * Node.js 20 can deadlock exporting a KeyObject that generateKeyPairSync returned (a garbage
 * collection during the export destroys the generating job, which takes the lock the export holds):
 * keys come out as PEM and are parsed again (the emulator's state/key-pair.ts says more).
 */
const keyPairRule = {
  // Node.js's generateKeyPair (async) is told from jose's by its first argument: a key type ('rsa', 'ec'), not an algorithm ('RS256').
  selector:
    "CallExpression:matches([callee.name='generateKeyPairSync'], [callee.property.name='generateKeyPairSync'], [callee.name='generateKeyPair'][arguments.0.value=/^(rsa|rsa-pss|dsa|ec|ed25519|ed448|x25519|x448|dh)$/], [callee.property.name='generateKeyPair'][arguments.0.value=/^(rsa|rsa-pss|dsa|ec|ed25519|ed448|x25519|x448|dh)$/]):not(:has(Property[key.name='privateKeyEncoding']))",
  message:
    "generateKeyPairSync's and generateKeyPair's KeyObjects can deadlock Node.js 20 when exported: pass privateKeyEncoding and publicKeyEncoding (PEM) and parse them with createPrivateKey/createPublicKey (packages/okta-emulator/src/state/key-pair.ts).",
};

/**
 * `toMatchObject({ message: /re/ })` passes for any message: the matcher compares a RegExp as an
 * object with no keys (a subset of anything). Use `expect.stringMatching(/re/)` there.
 */
const regexInMatchObjectRule = {
  selector: "CallExpression[callee.property.name='toMatchObject'] Property > Literal[regex]",
  message: 'toMatchObject compares a RegExp as an object with no keys, so it matches anything: write expect.stringMatching(/…/).',
};

/**
 * Test files share their worker's modules (vitest.config.ts): a `vi.mock` in one would not replace a
 * module an earlier file of the worker imported, and would replace it for the files after.
 */
const viMockRule = {
  selector: "CallExpression[callee.object.name='vi'][callee.property.name=/^(mock|doMock|unmock|doUnmock|resetModules)$/]",
  message:
    'This file shares its worker’s modules with other test files: rename it *.isolated.test.ts (or *.isolated.server.test.ts) to mock or reset modules in it (vitest.isolated-files.js).',
};

/**
 * What counts as an assertion in a test (vitest/expect-expect): `expect`, helpers named `expect…`,
 * `assert…` or `check…`, and the repository's helpers that fail a test by throwing or asserting.
 */
const testAssertions = [
  'expect',
  'expect*',
  '*.expect*',
  'assert*',
  'check*',
  'failure',
  'failure.sync',
  'until',
  'refusal',
  'valueOrTyped',
  'noLeaks',
  'verdict',
  'stillServing',
];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/.turbo/**', 'bench/results/**', '**/.stryker-tmp/**', '**/vitest.mutate.config.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    // Parsers see outside data: no regular expression may backtrack super-linearly (ReDoS).
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      'regexp/no-dupe-disjunctions': 'error',
      'regexp/no-misleading-capturing-group': 'error',
    },
  },
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', '*.mjs', 'vitest.config.ts', '*/*.js', '*/*.mjs', '*/*/*.js', '*/*/*.mjs'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.es2022 },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    rules: { 'no-restricted-syntax': ['error', keyPairRule] },
  },
  {
    // Small files, one concern each (docs/CONVENTIONS.md, Code): a source file of the packages, the emulator,
    // the CLI and the demo stays under 300 lines. ESLint counts the lines `wc -l` does (not the empty one after
    // the final newline), blank lines and comments included. Tests are not held to it.
    files: sourceFiles,
    ignores: ['**/*.test.ts'],
    rules: { 'max-lines': ['error', { max: 299, skipBlankLines: false, skipComments: false }] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { ...globals.node } },
  },
  {
    files: librarySources,
    ignores: testFiles,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^node:',
              message: 'Library packages use web standards only (fetch, WebCrypto, URL): no node: imports.',
            },
          ],
          paths: ['buffer', 'crypto', 'fs', 'http', 'https', 'os', 'path', 'process', 'util', 'stream', 'url', 'events', 'net', 'tls', 'zlib', 'child_process'].map((name) => ({
            name,
            message: 'Library packages use web standards only: no Node.js built-in modules.',
          })),
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Buffer', message: 'Use Uint8Array, TextEncoder and the base64url helpers instead of Buffer.' },
        { name: 'require', message: 'Library packages are ESM.' },
        { name: '__dirname', message: 'Library packages run outside Node.js too.' },
        { name: 'global', message: 'Use globalThis.' },
        {
          name: 'process',
          message: 'A bare process throws outside Node.js: read the environment through readRuntimeEnv() from @org/okta-auth-core.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='globalThis'][property.name='Buffer']",
          message: 'No Buffer in library packages.',
        },
        keyPairRule,
      ],
    },
  },
  {
    files: testFiles,
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      'no-restricted-syntax': ['error', keyPairRule, regexInMatchObjectRule],
    },
  },
  {
    files: ['**/*.test.ts'],
    ignores: isolatedTestFiles,
    rules: { 'no-restricted-syntax': ['error', keyPairRule, regexInMatchObjectRule, viMockRule] },
  },
  {
    // Tests that cannot fail: no assertion, a focused or skipped test, a title used twice, a matcher
    // that is never awaited. no-conditional-expect stays off: its sites are it.each rows and
    // fast-check properties whose branches each assert, and whose runs count that both came
    // (docs/CONVENTIONS.md, Tests).
    files: ['**/*.test.ts'],
    plugins: { vitest },
    rules: {
      'vitest/expect-expect': ['error', { assertFunctionNames: testAssertions }],
      'vitest/valid-expect': ['error', { maxArgs: 2 }],
      'vitest/valid-expect-in-promise': 'error',
      'vitest/no-focused-tests': 'error',
      'vitest/no-disabled-tests': 'error',
      'vitest/no-identical-title': 'error',
      'vitest/no-commented-out-tests': 'error',
      'vitest/no-standalone-expect': ['error', { additionalTestBlockFunctions: ['beforeAll', 'beforeEach', 'afterAll', 'afterEach'] }],
    },
  },
);
