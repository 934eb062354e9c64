import { createVerifier } from 'fast-jwt';
import type { Role } from '../http/schemas.js';
import { ROLES } from '../http/schemas.js';
import type { AlertStore } from '../store/store.js';
import { hashApiKey } from './keys.js';

export interface Principal {
  readonly subject: string;
  readonly role: Role;
  readonly via: 'apiKey' | 'jwt';
}

export type AuthResult = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: string; readonly code: 'malformed' | 'unknown_key' | 'revoked_key' | 'bad_jwt' | 'jwt_disabled' };

export interface AuthenticatorOptions {
  readonly store: AlertStore;
  readonly jwtSecret?: string;
  readonly jwtIssuer?: string;
  readonly jwtAudience?: string;
  readonly keyCacheMs: number;
  readonly now?: () => number;
}

const ROLE_RANK: Readonly<Record<Role, number>> = { viewer: 0, operator: 1, admin: 2 };

/** Whether `have` may do what `need` may: admin ⊃ operator ⊃ viewer. */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLE_RANK[have] >= ROLE_RANK[need];
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Turns a bearer token into who is asking: a JWT (HS256 with `sub` and `role`, `exp` checked when
 * present) or an API key (by its hash, cached for `keyCacheMs`).
 */
export class Authenticator {
  private readonly verify: ((token: string) => Record<string, unknown>) | null;
  private readonly cache = new Map<string, { result: AuthResult; until: number }>();
  private readonly now: () => number;

  constructor(private readonly opts: AuthenticatorOptions) {
    this.now = opts.now ?? Date.now;
    this.verify = opts.jwtSecret
      ? createVerifier({
          key: opts.jwtSecret,
          algorithms: ['HS256'],
          requiredClaims: ['sub', 'role'],
          ...(opts.jwtIssuer && { allowedIss: opts.jwtIssuer }),
          ...(opts.jwtAudience && { allowedAud: opts.jwtAudience }),
          clockTimestamp: undefined,
          cache: 1000,
        })
      : null;
  }

  async authenticate(token: string): Promise<AuthResult> {
    if (token.length > 4096) return { ok: false, code: 'malformed', reason: 'the token is longer than 4096 characters' };
    if (JWT_SHAPE.test(token)) return this.jwt(token);
    if (!/^[\x21-\x7e]{16,}$/.test(token)) return { ok: false, code: 'malformed', reason: 'the token is neither an API key nor a JWT' };
    const hash = hashApiKey(token);
    const hit = this.cache.get(hash);
    if (hit && hit.until > this.now()) return hit.result;
    const key = await this.opts.store.keyByHash(hash);
    const result: AuthResult = !key
      ? { ok: false, code: 'unknown_key', reason: 'unknown API key' }
      : key.revokedAtMs !== null
        ? { ok: false, code: 'revoked_key', reason: `API key ${key.keyId} was revoked` }
        : { ok: true, principal: { subject: key.name, role: key.role, via: 'apiKey' } };
    if (this.opts.keyCacheMs > 0) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { result, until: this.now() + this.opts.keyCacheMs });
    }
    return result;
  }

  /** Forgets cached keys (after a revocation here, so it takes effect at once). */
  forgetKeys(): void {
    this.cache.clear();
  }

  private jwt(token: string): AuthResult {
    if (!this.verify) return { ok: false, code: 'jwt_disabled', reason: 'JWTs are not accepted here (no ALERT_API_JWT_SECRET configured)' };
    let claims: Record<string, unknown>;
    try {
      claims = this.verify(token);
    } catch (err) {
      return { ok: false, code: 'bad_jwt', reason: `invalid JWT: ${(err as Error).message}` };
    }
    const { sub, role } = claims;
    if (typeof sub !== 'string' || sub === '' || sub.length > 200) return { ok: false, code: 'bad_jwt', reason: 'invalid JWT: sub must be a non-empty string' };
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) return { ok: false, code: 'bad_jwt', reason: `invalid JWT: role must be one of ${ROLES.join(', ')}` };
    return { ok: true, principal: { subject: sub, role: role as Role, via: 'jwt' } };
  }
}
