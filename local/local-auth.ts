import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jwtVerify, SignJWT } from 'jose';

/** Stands in for the Cognito user pool: issues ID tokens for seeded users and verifies them like the API's authorizer. */
export interface LocalAuth {
  issue(user: { username: string; email: string; groups: string[] }): Promise<{ token: string; expiresIn: number }>;
  /** The verified claims in the shape API Gateway's Cognito authorizer passes them: every value a string. */
  verify(token: string): Promise<Record<string, string> | null>;
}

const ISSUER = 'switchboard-local';
const AUDIENCE = 'switchboard-local-agent-desktop';
/** Cognito's ID tokens live one hour by default; locally a working day is kinder. */
const TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;

/** The signing key is kept in the data directory, so tokens survive restarts until `--reset`. */
function loadOrCreateSecret(dataDir: string | null): Uint8Array {
  if (!dataDir) return randomBytes(32);
  const file = join(dataDir, 'local-auth-key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  return Buffer.from(readFileSync(file, 'utf8'), 'base64');
}

export function createLocalAuth(dataDir: string | null): LocalAuth {
  const secret = loadOrCreateSecret(dataDir);
  return {
    async issue(user) {
      const token = await new SignJWT({
        'cognito:username': user.username,
        'cognito:groups': user.groups,
        email: user.email,
        token_use: 'id',
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user.username)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${TOKEN_LIFETIME_SECONDS}s`)
        .sign(secret);
      return { token, expiresIn: TOKEN_LIFETIME_SECONDS };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, secret, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
        if (payload.token_use !== 'id') return null;
        return Object.fromEntries(
          Object.entries(payload).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value)]),
        );
      } catch {
        return null;
      }
    },
  };
}
