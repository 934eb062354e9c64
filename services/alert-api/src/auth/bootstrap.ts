import type { Role } from '../http/schemas.js';
import type { AlertStore } from '../store/store.js';
import { hashApiKey, keyIdOf } from './keys.js';

export const BOOTSTRAP_ACTOR = { subject: 'bootstrap', role: 'admin' } as const;

/**
 * Creates the keys given in configuration (SAFEROADS_API_BOOTSTRAP_*_KEY) unless they exist,
 * so a fresh deployment has an admin to create the other keys, and the embedded mode can print
 * ready keys. Answers which were created now.
 */
export async function ensureBootstrapKeys(store: AlertStore, keys: Partial<Record<Role, string>>, nowMs: number): Promise<Role[]> {
  const created: Role[] = [];
  for (const role of ['admin', 'operator', 'viewer'] as const) {
    const key = keys[role];
    if (key === undefined) continue;
    const fresh = await store.createKey({ keyId: keyIdOf(key), keyHash: hashApiKey(key), name: `bootstrap-${role}`, role, createdAtMs: nowMs, createdBy: BOOTSTRAP_ACTOR.subject }, BOOTSTRAP_ACTOR);
    if (fresh) created.push(role);
  }
  return created;
}
