import { customerEntity, DynamoCustomerStore } from '#customers/adapters';
import type { Customer } from '#customers';
import { encodeCursor } from '#platform/adapters/dynamodb/cursor';
import { anyOfExpression, indexCursorScope, queryPage } from '#platform/adapters/dynamodb/query-page';
import type { Page, PageRequest } from '#platform/domain/page';
import { caseEntity, caseFromItem, caseIndexPartition, caseSortPrefix } from './case-item.js';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Case } from '../../domain/case.js';
import type { CustomerHistoryStore, HiddenCaseCounter } from '../../domain/case-ports.js';
import type { CaseViewer } from '../../domain/case-access.js';
import { viewerFilter } from './viewer-filter.js';

/**
 * Customers as the case use cases read them: the customers feature's store of profiles and
 * identities, plus each customer's history, which reads case items from the customer's index
 * partition (the profile and the cases share it).
 */
export class DynamoCustomerDirectory extends DynamoCustomerStore implements CustomerHistoryStore, HiddenCaseCounter {
  async getCustomerWithCases(
    id: string,
    page: PageRequest,
    viewer?: CaseViewer,
  ): Promise<{ customer: Customer; cases: Page<Case> } | null> {
    const visible = viewerFilter(viewer);
    if (page.cursor || visible) {
      // Later pages start below the profile, and a viewer's filter would drop the profile: it is read on its own.
      const [customer, cases] = await Promise.all([this.getCustomer(id), this.casesOf(id, page, visible)]);
      return customer ? { customer, cases } : null;
    }
    // First page: the profile sorts first in the customer's GSI1 partition, so one query gives it
    // and the newest cases; one more item than the page size accounts for the profile.
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': caseIndexPartition.customer(id) },
        ScanIndexForward: false,
        Limit: page.limit + 1,
      }),
    );
    const items = result.Items ?? [];
    const profile = items.find((item) => item.entity === customerEntity.tag);
    // The index is eventually consistent in AWS: a customer created a moment ago may not be in it yet.
    const customer = profile ? customerEntity.fromItem(profile) : await this.getCustomer(id);
    if (!customer) return null;
    const caseItems = items.filter((item) => item.entity === caseEntity.tag);
    const lastCase = caseItems.at(-1);
    const more = result.LastEvaluatedKey !== undefined && lastCase !== undefined;
    return {
      customer,
      cases: {
        items: caseItems.map((item) => caseFromItem(item)),
        nextCursor: more
          ? encodeCursor(indexCursorScope('GSI1', caseIndexPartition.customer(id)), {
              PK: lastCase.PK,
              SK: lastCase.SK,
              GSI1PK: lastCase.GSI1PK,
              GSI1SK: lastCase.GSI1SK,
            })
          : null,
      },
    };
  }

  async countCasesHiddenFrom(customerId: string, viewer: CaseViewer): Promise<number> {
    const visible = viewerFilter(viewer);
    if (!visible) return 0;
    const names: Record<string, string> = { '#pk': 'GSI1PK', '#sk': 'GSI1SK' };
    const values: Record<string, unknown> = { ':pk': caseIndexPartition.customer(customerId), ':prefix': caseSortPrefix };
    const filter = `NOT ${anyOfExpression(visible, names, values)}`;
    let hidden = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          FilterExpression: filter,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      hidden += result.Count ?? 0;
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return hidden;
  }

  private casesOf(customerId: string, page: PageRequest, anyOf?: Readonly<Record<string, readonly string[]>>): Promise<Page<Case>> {
    return queryPage(this.client, {
      tableName: this.tableName,
      index: 'GSI1',
      partition: caseIndexPartition.customer(customerId),
      sortKeyPrefix: caseSortPrefix,
      newestFirst: true,
      filters: {},
      anyOf,
      limit: page.limit,
      cursor: page.cursor,
    }).then((result) => ({ items: result.items.map((item) => caseFromItem(item)), nextCursor: result.nextCursor }));
  }
}
