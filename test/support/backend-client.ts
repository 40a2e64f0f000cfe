import type { RunningBackend } from './local-process.js';
import { expectMatchesView } from './response-views.js';

/**
 * An API client for a backend a test file runs itself (`startBackend`), signing in seeded users
 * through `POST /local/token` once each. A response of a contract route must match its view
 * exactly (see expectMatchesView), or the call throws.
 */
export function backendClient(backend: () => RunningBackend) {
  const tokens = new Map<string, string>();
  async function token(username: string): Promise<string> {
    const cached = tokens.get(username);
    if (cached) return cached;
    const response = await fetch(`${backend().apiUrl}/local/token`, {
      method: 'POST',
      body: JSON.stringify({ username }),
      headers: { 'Content-Type': 'application/json' },
    });
    const { token: issued } = (await response.json()) as { token: string };
    tokens.set(username, issued);
    return issued;
  }

  async function api<T = any>(method: string, path: string, as: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${backend().apiUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${await token(as)}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : null;
    expectMatchesView(method, path, response.status, parsed);
    return { status: response.status, body: parsed as T };
  }

  return { api };
}

/** Polls until `check` returns a value, or fails naming what it waited for. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
  everyMs = 150,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
