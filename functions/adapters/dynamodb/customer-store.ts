import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Case } from '../../domain/cases/case.js';
import type { Customer, Identity } from '../../domain/customers/customer.js';
import type { CustomerStore, Page, PageRequest } from '../../domain/ports.js';
import { caseFromItem, customerFromItem } from './items.js';
import { keys } from './keys.js';
import { encodeCursor } from './cursor.js';
import { queryPage } from './query-page.js';

/** Customers and identities in the cases table, as the domain's `CustomerStore`. */
export class DynamoCustomerStore implements CustomerStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getCustomer(id: string): Promise<Customer | null> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.customer(id), ConsistentRead: true }));
    return result.Item ? customerFromItem(result.Item) : null;
  }

  async getCustomerWithCases(id: string, page: PageRequest): Promise<{ customer: Customer; cases: Page<Case> } | null> {
    if (page.cursor) {
      // Later pages start below the profile, so the profile is read on its own.
      const [customer, cases] = await Promise.all([this.getCustomer(id), this.casesOf(id, page)]);
      return customer ? { customer, cases } : null;
    }
    // First page: the profile sorts first in the customer's GSI1 partition, so one query gives it
    // and the newest cases; one more item than the page size accounts for the profile.
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.caseIndexPartition.customer(id) },
        ScanIndexForward: false,
        Limit: page.limit + 1,
      }),
    );
    const items = result.Items ?? [];
    const profile = items.find((item) => item.entity === 'customer');
    // The index is eventually consistent in AWS: a customer created a moment ago may not be in it yet.
    const customer = profile ? customerFromItem(profile) : await this.getCustomer(id);
    if (!customer) return null;
    const caseItems = items.filter((item) => item.entity === 'case');
    const lastCase = caseItems.at(-1);
    const more = result.LastEvaluatedKey !== undefined && lastCase !== undefined;
    return {
      customer,
      cases: {
        items: caseItems.map((item) => caseFromItem(item)),
        nextCursor: more ? encodeCursor('GSI1', { PK: lastCase.PK, SK: lastCase.SK, GSI1PK: lastCase.GSI1PK, GSI1SK: lastCase.GSI1SK }) : null,
      },
    };
  }

  async findCustomerIdByIdentity(identity: Identity): Promise<string | null> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.identity(identity) }));
    return typeof result.Item?.customerId === 'string' ? result.Item.customerId : null;
  }

  private casesOf(customerId: string, page: PageRequest): Promise<Page<Case>> {
    return queryPage(this.client, {
      tableName: this.tableName,
      index: 'GSI1',
      partition: keys.caseIndexPartition.customer(customerId),
      sortKeyPrefix: keys.caseSortPrefix,
      newestFirst: true,
      filters: {},
      limit: page.limit,
      cursor: page.cursor,
    }).then((result) => ({ items: result.items.map((item) => caseFromItem(item)), nextCursor: result.nextCursor }));
  }
}
