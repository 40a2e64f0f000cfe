import type { Case } from '../domain/case.js';
import type { Customer } from '#customers';
import { NotFoundError } from '#platform/domain/errors';
import type { Page, PageRequest } from '#platform/domain/page';
import type { CaseViewer } from '../domain/case-access.js';
import type { CaseDeps } from './deps.js';

/**
 * A customer's profile with a page of the cases the viewer may see, newest first, and how many
 * other cases the customer has (so an agent knows there is more history than they are shown).
 * One read request for a viewer who sees all; an agent's view adds a count of the rest.
 *
 * @throws NotFoundError
 */
export async function getCustomer(
  deps: Pick<CaseDeps, 'customers'>,
  id: string,
  page: PageRequest,
  viewer: CaseViewer,
): Promise<{ customer: Customer; cases: Page<Case>; hiddenCases: number }> {
  const [found, hiddenCases] = await Promise.all([
    deps.customers.getCustomerWithCases(id, page, viewer),
    viewer.scope === 'all' ? 0 : deps.customers.countCasesHiddenFrom(id, viewer),
  ]);
  if (!found) throw new NotFoundError('customer', id);
  return { ...found, hiddenCases };
}
