import type * as z from 'zod';
import { type FieldIssue, ValidationError } from '#platform/domain/errors';

/**
 * A `ValidationError` for an event from Amazon Connect, naming each bad field by its path in the
 * event (`['Details', 'ContactData', 'ContactId']` → `Details.ContactData.ContactId`, array indexes in
 * brackets), so a log line says what Connect sent that we did not expect.
 */
export function invalidEvent(what: string, fields: FieldIssue[]): ValidationError {
  return new ValidationError(`${what}: ${fields.map((field) => `${field.path}: ${field.message}`).join('; ')}`, fields);
}

/** The field issues of a failed zod parse, their paths under `prefix`; `whole` names the root. */
export function fieldIssuesOf(issues: readonly z.core.$ZodIssue[], options: { prefix?: PropertyKey[]; whole?: string } = {}): FieldIssue[] {
  return issues.map((issue) => ({
    path: formatPath([...(options.prefix ?? []), ...issue.path], options.whole ?? '(the event)'),
    message: issue.message,
  }));
}

function formatPath(path: readonly PropertyKey[], whole: string): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? whole : out;
}
