import type { DispatchCallbacksDeps } from '../use-cases/deps.js';
import { ConnectOutboundDialler, connectClient } from './connect/connect-outbound-dialler.js';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { DynamoSlaStore } from '#sla/adapters';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import { contactEventDepsFromEnv } from './callback-deps-from-env.js';

/** The dispatcher also dials through Connect (instance, flow, queues) and reads the calendars. */
export function dispatchCallbacksDepsFromEnv(): DispatchCallbacksDeps {
  const instanceId = readEnv(ENV.connectInstanceId);
  const flowId = readEnv(ENV.connectCallbackFlowId);
  const deps = contactEventDepsFromEnv();
  return {
    ...deps,
    dialler: new ConnectOutboundDialler(connectClient, instanceId, flowId),
    sla: new DynamoSlaStore(dynamoDocumentClient, readEnv(ENV.casesTable)),
  };
}
