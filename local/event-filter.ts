/**
 * Lambda event filtering (the subset our templates use): a pattern matches when every key it names
 * matches, recursively; a list of values matches any one of them. An operator we do not emulate
 * (prefix, numeric, exists, …) is refused at start-up rather than matched wrongly.
 */
type Json = Record<string, unknown>;

export function assertSupportedPattern(pattern: unknown, path = ''): void {
  if (Array.isArray(pattern)) {
    for (const value of pattern) {
      if (value !== null && typeof value === 'object') {
        throw new Error(`event filter at ${path || '/'} uses an operator the local runtime does not emulate: ${JSON.stringify(value)}`);
      }
    }
    return;
  }
  if (pattern && typeof pattern === 'object') {
    for (const [key, value] of Object.entries(pattern as Json)) assertSupportedPattern(value, `${path}/${key}`);
  }
}

export function matchesPattern(event: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((value) => value === event);
  if (pattern && typeof pattern === 'object') {
    if (!event || typeof event !== 'object') return false;
    return Object.entries(pattern as Json).every(([key, value]) => matchesPattern((event as Json)[key], value));
  }
  return pattern === event;
}
