/**
 * The key lives in sessionStorage (gone with the tab). A link `…/#key=<token>` hands it over: the
 * fragment never reaches a server, and it is removed from the address bar at once so it does not
 * end up in bookmarks or screenshots.
 */
const STORAGE_KEY = 'saferoads.token';

export function takeTokenFromLocation(loc: Location, hist: History, storage: Storage): string | null {
  const params = new URLSearchParams(loc.hash.replace(/^#/, ''));
  const key = params.get('key');
  if (key) {
    storage.setItem(STORAGE_KEY, key);
    params.delete('key');
    const rest = params.toString();
    hist.replaceState(null, '', `${loc.pathname}${loc.search}${rest ? `#${rest}` : ''}`);
  }
  return storage.getItem(STORAGE_KEY);
}

export function storeToken(storage: Storage, token: string): void {
  storage.setItem(STORAGE_KEY, token);
}

export function forgetToken(storage: Storage): void {
  storage.removeItem(STORAGE_KEY);
}
