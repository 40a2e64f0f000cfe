import type { Case } from '../domain/case.js';
import type { Customer } from '#customers';
import { NotFoundError } from '#platform/domain/errors';
import type { Page, PageRequest } from '#platform/domain/page';
import type { CaseDeps } from './deps.js';

/** A customer's profile with a page of their cases, newest first (one read request). @throws NotFoundError */
export async function getCustomer(
  deps: Pick<CaseDeps, 'customers'>,
  id: string,
  page: PageRequest,
): Promise<{ customer: Customer; cases: Page<Case> }> {
  const found = await deps.customers.getCustomerWithCases(id, page);
  if (!found) throw new NotFoundError('customer', id);
  return found;
}
