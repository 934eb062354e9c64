import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys look like `srk_<keyId>_<secret>`: the id names the key in lists and audit trails, the
 * 32 random bytes of the secret make it unguessable. The database keeps the SHA-256 of the whole
 * key: a key has 256 bits of entropy, so a fast hash is enough (a slow password hash protects
 * low-entropy secrets, which these are not), and lookups by hash take one index probe.
 */
export function generateApiKey(): { keyId: string; key: string } {
  const keyId = randomBytes(9).toString('base64url');
  return { keyId, key: `srk_${keyId}_${randomBytes(32).toString('base64url')}` };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The id of a key given as configuration (bootstrap keys): derived from its hash, so a restart finds the same one. */
export function keyIdOf(key: string): string {
  const m = /^srk_([A-Za-z0-9_-]{12})_/.exec(key);
  return m ? m[1] : `cfg-${hashApiKey(key).slice(0, 12)}`;
}
