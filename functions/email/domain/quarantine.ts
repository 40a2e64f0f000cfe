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
