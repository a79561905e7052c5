import { describe, expect, it } from 'vitest';
import { homeFolder } from './home.js';

describe('homeFolder', () => {
  it('the home folder homedir() gives', () => {
    expect(homeFolder(() => '/home/ada')).toBe('/home/ada');
  });

  it('none when homedir() throws (no HOME and no entry in the user database) or gives nothing', () => {
    const failing = (): string => {
      throw Object.assign(new Error('A system error occurred: uv_os_homedir returned ENOENT (no such file or directory)'), { code: 'ERR_SYSTEM_ERROR' });
    };
    expect(homeFolder(failing)).toBeUndefined();
    expect(homeFolder(() => '')).toBeUndefined();
  });
});
