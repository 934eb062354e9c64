import { describe, expect, it } from 'vitest';
import { forgetToken, storeToken, takeTokenFromLocation } from './auth.js';

class MemoryStorage {
  private readonly m = new Map<string, string>();
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
}

function env(hash: string) {
  const replaced: string[] = [];
  const loc = { hash, pathname: '/', search: '?x=1' } as Location;
  const hist = { replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url) } as unknown as History;
  return { loc, hist, replaced, storage: new MemoryStorage() as unknown as Storage };
}

describe('the key from the address', () => {
  it.each([
    ['#key=srk_abc', 'srk_abc', ['/?x=1']],
    ['#key=srk_abc&view=map', 'srk_abc', ['/?x=1#view=map']],
    ['#view=map', null, []],
    ['', null, []],
  ])('%s gives the token %s and leaves the address %j', (hash, token, replaced) => {
    const e = env(hash);
    expect(takeTokenFromLocation(e.loc, e.hist, e.storage)).toBe(token);
    expect(e.replaced).toEqual(replaced);
  });

  it('keeps a stored key for the tab, and forgets it on sign-out', () => {
    const e = env('');
    storeToken(e.storage, 'srk_kept');
    expect(takeTokenFromLocation(e.loc, e.hist, e.storage)).toBe('srk_kept');
    const f = env('#key=srk_new');
    storeToken(f.storage, 'srk_old');
    expect(takeTokenFromLocation(f.loc, f.hist, f.storage)).toBe('srk_new');
    forgetToken(f.storage);
    expect(takeTokenFromLocation(env('').loc, env('').hist, f.storage)).toBeNull();
  });
});
