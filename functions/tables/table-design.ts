/**
 * The physical design of Switchboard's two tables: key attributes, indexes and the TTL attribute.
 * The CDK stateful stack builds the tables from this, the local runtime reads them back from the
 * synthesized template, and the adapters query the indexes by these names.
 */
export interface IndexDesign {
  name: string;
  partitionKey: string;
  sortKey: string;
}

export interface TableDesign {
  partitionKey: 'PK';
  sortKey: 'SK';
  ttlAttribute: 'expiresAt';
  indexes: readonly IndexDesign[];
}

const gsi = (n: number): IndexDesign => ({ name: `GSI${n}`, partitionKey: `GSI${n}PK`, sortKey: `GSI${n}SK` });

/** Cases table indexes: GSI1 customer (profile + cases), GSI2 status, GSI3 queue, GSI4 assignee, GSI5 all cases. */
export const CASES_TABLE: TableDesign = {
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'expiresAt',
  indexes: [gsi(1), gsi(2), gsi(3), gsi(4), gsi(5)],
};

/** Agent-state table indexes: GSI1 the staff list, GSI2 work (queue backlogs and each agent's held work). */
export const AGENT_STATE_TABLE: TableDesign = {
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'expiresAt',
  indexes: [gsi(1), gsi(2)],
};
