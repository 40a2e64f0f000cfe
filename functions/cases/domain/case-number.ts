const PREFIX = 'CS-';
/** Six digits keep numbers aligned up to a million cases; larger numbers simply grow wider. */
const MIN_DIGITS = 6;

/** Formats the n-th case number, e.g. 42 → `CS-000042`. */
export function formatCaseNumber(sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new RangeError(`case sequence must be a positive integer, got ${sequence}`);
  }
  return PREFIX + String(sequence).padStart(MIN_DIGITS, '0');
}

/** Parses `CS-000042` (any case, surrounding spaces allowed) to 42, or null when it is not a case number. */
export function parseCaseNumber(text: string): number | null {
  const match = /^CS-(\d{1,15})$/i.exec(text.trim());
  if (!match?.[1]) return null;
  const sequence = Number(match[1]);
  return sequence >= 1 ? sequence : null;
}
