import type { DispatchCallbacksDeps } from '../use-cases/deps.js';
import { ConnectOutboundDialler, connectClient } from './connect/connect-outbound-dialler.js';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { DynamoSlaStore } from '#sla/adapters';
import { requireEnv } from '#platform/adapters/env';
import { contactEventDepsFromEnv } from './callback-deps-from-env.js';

/** The dispatcher also dials through Connect (instance, flow, queues) and reads the calendars. */
export function dispatchCallbacksDepsFromEnv(): DispatchCallbacksDeps {
  const instanceId = requireEnv('CONNECT_INSTANCE_ID');
  const flowId = requireEnv('CONNECT_CALLBACK_FLOW_ID');
  const deps = contactEventDepsFromEnv({ requireConnectQueues: true });
  return {
    ...deps,
    dialler: new ConnectOutboundDialler(connectClient, instanceId, flowId),
    sla: new DynamoSlaStore(dynamoDocumentClient, requireEnv('CASES_TABLE_NAME')),
  };
}
