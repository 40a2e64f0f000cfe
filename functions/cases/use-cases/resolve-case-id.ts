import { parseCaseNumber } from '../domain/case-number.js';
import { NotFoundError } from '#platform/domain/errors';
import type { CaseStore } from '../domain/case-ports.js';

/**
 * The case id behind what a person typed: an id passes through untouched (no read), a case number
 * (`CS-000042`) is looked up (one read).
 *
 * @throws NotFoundError when a number names no case.
 */
export async function resolveCaseId(cases: Pick<CaseStore, 'findCaseIdBySequence'>, idOrNumber: string): Promise<string> {
  const sequence = parseCaseNumber(idOrNumber);
  if (sequence === null) return idOrNumber;
  const id = await cases.findCaseIdBySequence(sequence);
  if (!id) throw new NotFoundError('case', idOrNumber);
  return id;
}
