import type { Case } from '../domain/case.js';
import { NotFoundError } from '#platform/domain/errors';
import type { CaseDeps } from './deps.js';
import { resolveCaseId } from './resolve-case-id.js';

/**
 * Finds a case by its id or by its human number (`CS-000042`).
 *
 * 1. A case number is first resolved to the case id (one extra read).
 * 2. The case is read by id.
 *
 * @throws NotFoundError when no such case exists.
 */
export async function getCase(deps: Pick<CaseDeps, 'cases'>, idOrNumber: string): Promise<Case> {
  const found = await deps.cases.getCase(await resolveCaseId(deps.cases, idOrNumber));
  if (!found) throw new NotFoundError('case', idOrNumber);
  return found;
}
