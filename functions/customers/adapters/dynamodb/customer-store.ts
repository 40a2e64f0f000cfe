import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { customerFromItem, customerKey } from './customer-item.js';
import { identityItemKey } from './identity-item.js';
import type { Customer, Identity } from '../../domain/customer.js';
import type { CustomerStore } from '../../domain/customer-ports.js';

/** Customers and identities in the cases table, as the domain's `CustomerStore`. */
export class DynamoCustomerStore implements CustomerStore {
  constructor(
    protected readonly client: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  async getCustomer(id: string): Promise<Customer | null> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: customerKey(id), ConsistentRead: true }));
    return result.Item ? customerFromItem(result.Item) : null;
  }

  async findCustomerIdByIdentity(identity: Identity): Promise<string | null> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: identityItemKey(identity) }));
    return typeof result.Item?.customerId === 'string' ? result.Item.customerId : null;
  }
}
