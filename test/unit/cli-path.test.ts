import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, cliUser } from '../../common/cli.ts';

describe('cliPath: a path given on the command line', () => {
  it('resolves a relative path against INIT_CWD, the folder npm was run from', () => {
    expect(cliPath('instance.json', { INIT_CWD: '/home/me/work' })).toBe('/home/me/work/instance.json');
    expect(cliPath('../data/t.csv', { INIT_CWD: '/home/me/work' })).toBe('/home/me/data/t.csv');
    expect(cliPath('./out', { INIT_CWD: '/home/me/work/' })).toBe('/home/me/work/out');
  });

  it('resolves against the working directory when INIT_CWD is unset or empty', () => {
    expect(cliPath('instance.json', {})).toBe(path.join(process.cwd(), 'instance.json'));
    expect(cliPath('instance.json', { INIT_CWD: '' })).toBe(path.join(process.cwd(), 'instance.json'));
  });

  it('keeps an absolute path as it is', () => {
    expect(cliPath('/data/instance.json', { INIT_CWD: '/home/me/work' })).toBe('/data/instance.json');
    expect(cliPath('/data/../x/./y.json', { INIT_CWD: '/home/me/work' })).toBe('/x/y.json');
  });

  it('returns an empty or blank path unchanged, for the caller to refuse', () => {
    expect(cliPath('', { INIT_CWD: '/home/me/work' })).toBe('');
    expect(cliPath('  ', { INIT_CWD: '/home/me/work' })).toBe('  ');
  });
});

describe('cliUser: who runs a command', () => {
  it("is the process's login name, whatever USER says (unset as root in a container: 'cli:unknown' before)", () => {
    expect(cliUser({}, () => ({ username: 'root' }))).toBe('root');
    expect(cliUser({ USER: 'someone' }, () => ({ username: 'me' }))).toBe('me');
  });

  it('falls back to USER, LOGNAME, then unknown when the uid has no name', () => {
    const none = () => {
      throw new Error('ENOENT: no such file or directory, uv_os_get_passwd');
    };
    expect(cliUser({ USER: 'u', LOGNAME: 'l' }, none)).toBe('u');
    expect(cliUser({ LOGNAME: 'l' }, none)).toBe('l');
    expect(cliUser({}, none)).toBe('unknown');
  });
});
