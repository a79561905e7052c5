/**
 * `pnpm check:links` (scripts/check-links.mjs, remark-validate-links behind a thin wrapper) on a
 * seeded corpus laid out like the repository: every broken link it must report (a missing file,
 * folder, heading, image, reference definition, repository URL under `blob/` and `tree/`, an
 * autolink), and every good link or non-link it must leave alone (GitHub's slugs for punctuation,
 * code, emoji, emphasis, HTML, closing hashes, setext and repeated headings; folders, line anchors,
 * percent-encoded and `<a name>` anchors; links in fenced, indented and inline code). The
 * hand-written checker this replaced called 7 of the good ones broken and missed the autolink; the
 * library alone misses the `tree/` URL and calls the two last anchors broken (docs/CONVENTIONS.md,
 * "Docs checks").
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '../../../scripts/check-links.mjs');
const repo = 'https://github.com/org/okta-auth';

const headings = [
  '# Corpus',
  '## Setup',
  '## Setup',
  '## Punctuation: heading! (v2.0)?',
  '## The `code` span',
  '## 🚀 Launch',
  '## _Italic_ words',
  '## Closed ##',
  'Setext heading\n--------------',
  '## Über uns',
  '## <code>html</code> heading',
  '## See [the guide](docs/GUIDE.md)',
  '<a name="custom-anchor"></a>',
];

/** Links that resolve, one a line (GitHub's anchor for each heading above). */
const good = [
  '[g](docs/GUIDE.md)',
  '[g](./docs/GUIDE.md#guide)',
  '[g](docs/GUIDE.md#more)',
  '[g](#setup)',
  '[g](#setup-1)',
  '[g](#punctuation-heading-v20)',
  '[g](#the-code-span)',
  '[g](#-launch)',
  '[g](#italic-words)',
  '[g](#closed)',
  '[g](#setext-heading)',
  '[g](#über-uns)',
  '[g](#%C3%BCber-uns)',
  '[g](#html-heading)',
  '[g](#see-the-guide)',
  '[g](#custom-anchor)',
  '[g](packages/a)',
  '[g](packages/a/)',
  '[g](packages/a#usage)',
  '[g](packages/a/src/x.ts#L3)',
  '![g](docs/pic.png)',
  `[g](${repo}/blob/main/docs/GUIDE.md#more)`,
  `[g](${repo}/tree/main/packages/a)`,
  '[g](https://example.com/not-checked.md)',
  '[ref-good]',
  '[ref-good]: docs/GUIDE.md#more',
];

/** Links that do not resolve, one a line: the target is what the checker must print. */
const broken = [
  ['[b](docs/MISSING.md)', 'docs/MISSING.md'],
  ['[b](#nope)', '#nope'],
  ['[b](docs/GUIDE.md#nope)', 'docs/GUIDE.md#nope'],
  ['[b](packages/nope)', 'packages/nope'],
  ['[b](packages/a#nope)', 'packages/a#nope'],
  ['[b](packages/a/src/x.ts#foo)', 'packages/a/src/x.ts#foo'],
  ['![b](docs/missing.png)', 'docs/missing.png'],
  [`[b](${repo}/blob/main/docs/MISSING.md)`, `${repo}/blob/main/docs/MISSING.md`],
  [`[b](${repo}/tree/main/packages/nope)`, `${repo}/tree/main/packages/nope`],
  [`<${repo}/blob/main/AUTOLINK-MISSING.md>`, `${repo}/blob/main/AUTOLINK-MISSING.md`],
  ['[ref-broken]', null],
  ['[ref-broken]: docs/MISSING-REF.md', 'docs/MISSING-REF.md'],
] as const;

/** Not links: nothing in them is checked. */
const code = [
  '```md\n[c](docs/IN-FENCE.md)\n```',
  '~~~\n[c](docs/IN-TILDE-FENCE.md)\n~~~',
  '    [c](docs/IN-INDENTED-CODE.md)',
  'Inline `[c](docs/IN-INLINE-CODE.md)` and `` [c](docs/IN-DOUBLE-TICK.md) ` `` code.',
];

const corpora = mkdtempSync(join(tmpdir(), 'check-links-'));
afterAll(() => {
  rmSync(corpora, { recursive: true, force: true });
});

/** Lays out a corpus (file path to text) and runs the checker on it. */
function check(name: string, files: Record<string, string>): { status: number | null; reported: string[] } {
  const root = join(corpora, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const run = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
  // Each broken link is a `file:line: target (reason)` line.
  const reported = run.stderr
    .split('\n')
    .filter((line) => /^\S+:\d+: /.test(line))
    .map((line) => line.replace(/ \(.*$/, ''));
  return { status: run.status, reported };
}

const support = {
  'docs/GUIDE.md': '# Guide\n\n## More\n\nBack to [the top](../README.md#setup-1).\n',
  'docs/pic.png': 'png',
  'packages/a/README.md': '# Package a\n\n## Usage\n',
  'packages/a/src/x.ts': 'export const x = 1;\n\n\nexport const y = 2;\n',
};

describe('pnpm check:links', () => {
  it('reports every broken link as file:line: target, and nothing else', () => {
    const blocks = [headings.join('\n\n'), good.join('\n\n'), broken.map(([line]) => line).join('\n\n'), code.join('\n\n')];
    const readme = `${blocks.join('\n\n')}\n`;
    const lines = readme.split('\n');
    const expected = broken.flatMap(([line, target]) => (target === null ? [] : [`README.md:${lines.indexOf(line) + 1}: ${target}`]));
    // Into another file: a heading GitHub would number `setup-2` (there are two `Setup`s) does not exist.
    const guide = '# Guide\n\n## More\n\nBack to [the second setup](../README.md#setup-1), not [a third](../README.md#setup-2).\n';
    expected.push('docs/GUIDE.md:5: ../README.md#setup-2');

    const { status, reported } = check('broken', { ...support, 'docs/GUIDE.md': guide, 'README.md': readme });

    expect(reported.sort()).toEqual(expected.sort());
    expect(status).toBe(1);
  });

  it('passes a corpus whose links all resolve', () => {
    const readme = `${[headings.join('\n\n'), good.join('\n\n'), code.join('\n\n')].join('\n\n')}\n`;
    const { status, reported } = check('good', { ...support, 'README.md': readme });
    expect(reported).toEqual([]);
    expect(status).toBe(0);
  });
});

/** The evidence the docs cite in inline code: files by name or path, and error codes. */
const evidenceSupport = {
  'docs/GUIDE.md': '# Guide\n',
  'packages/a/src/errors.ts': "export type ACode = 'INVALID_CONFIG' | 'TIMEOUT';\n",
  'packages/a/src/user/http.ts': "export const variable = 'A_SETTING';\n",
  'packages/a/src/http.server.test.ts': '',
  'scripts/tool.mjs': '',
};
const citedGood = [
  'Tested by `http.server.test.ts` and `packages/a/src/user/http.ts`, `user/http.ts`, `src/errors.ts` and `errors.js`.',
  'Placeholders and others: `<name>.test.ts`, `.d.ts`, `src/*.ts`, `@okta/okta-sdk-nodejs/src/client.js`, `scripts/tool.mjs`.',
  "It throws `INVALID_CONFIG`; the error's `code: 'TIMEOUT'` or `'TIMEOUT'`.",
  'It fails with an error when `A_SETTING` or `B_SETTING` is unset.',
  'Set `B_SETTING=1` (an environment variable). `PKCE` and `GET` fail as words. `NOT_A_CODE` stands alone.',
];
const citedBroken = [
  ['Gone: `gone.server.test.ts`.', '`gone.server.test.ts`'],
  ['And `packages/a/src/gone.ts` too.', '`packages/a/src/gone.ts`'],
  ['A tail: `user/gone.ts`.', '`user/gone.ts`'],
  ['It throws `GONE_CODE`.', '`GONE_CODE`'],
  ["The error's `code: 'STALE_CODE'`.", "`code: 'STALE_CODE'`"],
] as const;

describe('pnpm check:links: the files and error codes the docs cite', () => {
  it('reports each cited file that is not in the repository and each error code in no union, and nothing else', () => {
    const readme = `# Corpus\n\n${[...citedGood, ...citedBroken.map(([line]) => line)].join('\n\n')}\n`;
    const lines = readme.split('\n');
    const fidelity = '# Fidelity\n\nOkta\'s `docs/reference/api/oidc/index.md` is not ours.\n';
    const { status, reported } = check('evidence', { ...support, ...evidenceSupport, 'packages/a/docs/FIDELITY.md': fidelity, 'README.md': readme });
    expect(reported.sort()).toEqual(citedBroken.map(([line, span]) => `README.md:${lines.indexOf(line) + 1}: ${span}`).sort());
    expect(status).toBe(1);
  });

  it('passes when every cited file and code resolves', () => {
    const readme = `# Corpus\n\n${citedGood.join('\n\n')}\n`;
    const { status, reported } = check('evidence-good', { ...support, ...evidenceSupport, 'README.md': readme });
    expect(reported).toEqual([]);
    expect(status).toBe(0);
  });
});
