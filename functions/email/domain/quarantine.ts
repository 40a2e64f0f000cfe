/**
 * Where the mail bucket keeps the attachments of mail SES judged spam or infected: apart from the
 * others (`quarantine/attachments/…`), so that no download path serves one until a supervisor
 * releases its case.
 */
export const QUARANTINE_PREFIX = 'quarantine/';

/** Whether an object key is held in quarantine. */
export function isQuarantined(key: string): boolean {
  return key.startsWith(QUARANTINE_PREFIX);
}

/** The key an attachment moves to when its case is released. */
export function releasedKey(key: string): string {
  return isQuarantined(key) ? key.slice(QUARANTINE_PREFIX.length) : key;
}

/**
 * Whether a case's status change releases it from quarantine: only `quarantined` → `new`, which
 * only supervisors and admins may make. Closing a quarantined case (anyone who sees it may) keeps
 * its attachments held.
 */
export function isRelease(before: string | undefined, after: string | undefined): boolean {
  return before === 'quarantined' && after === 'new';
}
