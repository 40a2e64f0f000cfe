import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type ITable,
  ProjectionType,
  type StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { TableDesign } from '#tables/table-design';

/** A table whose index names are known, so a grant can name each index instead of `index/*`. */
export interface IIndexedTable extends ITable {
  readonly indexNames: readonly string[];
}

export interface DesignedTableProps {
  design: TableDesign;
  /** Change stream for later consumers; none by default. */
  stream?: StreamViewType;
}

/**
 * A DynamoDB table built exactly from its `table-design.ts` entry (keys, GSIs with projection ALL,
 * TTL attribute) with the protections every Switchboard table gets: on-demand billing,
 * point-in-time recovery, encryption at rest, deletion protection, and retention on stack deletion.
 */
export class DesignedTable extends Table implements IIndexedTable {
  readonly design: TableDesign;
  readonly indexNames: readonly string[];

  constructor(scope: Construct, id: string, props: DesignedTableProps) {
    const { design } = props;
    super(scope, id, {
      partitionKey: { name: design.partitionKey, type: AttributeType.STRING },
      sortKey: { name: design.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // AWS-managed key (aws/dynamodb) rather than the AWS-owned default: every use of the key shows
      // in CloudTrail, which an auditor of customer data asks for, with no key to administer and no
      // monthly key fee. A customer-managed key would add revocation at the price of key operations.
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: design.ttlAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      stream: props.stream,
    });
    this.design = design;
    for (const index of design.indexes) {
      this.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    this.indexNames = design.indexes.map((index) => index.name);
  }
}
