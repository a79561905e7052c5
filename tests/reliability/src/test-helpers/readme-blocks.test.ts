/**
 * The doc blocks' reader cannot let a block be checked less than its marker says: a clause it does not
 * know (a misspelt `pair`, `then` or `until SIGTERM`) would drop that check in silence (a pair's before
 * and after no longer compared), so the block is UNMARKED, which the doc's test refuses.
 */
import { describe, expect, it } from 'vitest';
import { readmeBlocks } from './readme-blocks.js';

const block = (marker: string): string => `<!-- run: ${marker} -->\n\`\`\`ts\nconsole.log(1);\n\`\`\`\n`;

describe('readmeBlocks', () => {
  it('reads the clauses it knows', () => {
    const [read] = readmeBlocks('X.md', block('api-token, then tokenStore, until SIGTERM, pair users'));
    expect([read?.setup, read?.then, read?.untilSigterm, read?.pair, read?.notRun]).toEqual(['api-token', 'tokenStore', true, 'users', undefined]);
  });

  it.each([['api-token, piar users'], ['api-token, pair'], ['api-token, until sigterm'], ['api-token, then']])('refuses an unknown clause: %s', (marker) => {
    const [read] = readmeBlocks('X.md', block(marker));
    expect(read?.notRun).toMatch(/^UNMARKED: /);
  });
});
