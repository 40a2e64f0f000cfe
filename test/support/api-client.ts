import { inject } from 'vitest';
import { expectMatchesView } from './response-views.js';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

const tokens = new Map<string, string>();

/** The API of the local backend the integration suite runs against. */
export function apiUrl(): string {
  return inject('apiUrl');
}

/** Asks the local token route for a token, as a user of the API would. */
export function requestToken(username: string): Promise<Response> {
  return fetch(`${apiUrl()}/local/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username }),
  });
}

/** Signs in a seeded user through the local token route (cached per test file). */
export async function tokenFor(username: string): Promise<string> {
  const cached = tokens.get(username);
  if (cached) return cached;
  const response = await requestToken(username);
  if (response.status !== 200) throw new Error(`no token for ${username}: ${response.status} ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  tokens.set(username, token);
  return token;
}

/**
 * Calls the API as a user (or anonymously with `as: null`); JSON in, JSON out. A response of a
 * contract route must match its view exactly (see expectMatchesView), or the call throws.
 */
export async function call<T = any>(
  method: string,
  path: string,
  options: { as?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const as = options.as === undefined ? 'anna.nowak' : options.as;
  const headers: Record<string, string> = { ...options.headers };
  if (as) headers.Authorization = `Bearer ${await tokenFor(as)}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(`${apiUrl()}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // leave non-JSON bodies as text so the assertion shows them
  }
  expectMatchesView(method, path, response.status, parsed);
  return { status: response.status, headers: response.headers, body: parsed as T };
}

let unique = 0;
/** An email address no other test uses, so tests stay independent on one shared backend. */
export function uniqueEmail(prefix = 'customer'): string {
  unique += 1;
  return `${prefix}.${Date.now().toString(36)}.${process.pid}.${unique}@example.com`;
}

/** A valid POST /cases body; override what the test is about. */
export function newCaseBody(overrides: Record<string, unknown> = {}) {
  return {
    subject: 'Zwrot zamówienia 5531',
    description: 'Chcę zwrócić buty, rozmiar nie pasuje.',
    channel: 'web',
    customer: { email: uniqueEmail(), name: 'Ewa Testowa' },
    ...overrides,
  };
}
