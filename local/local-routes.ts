import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../functions/adapters/dynamodb/keys.js';
import type { LocalAuth } from './local-auth.js';

interface LocalRouteContext {
  request: IncomingMessage;
  response: ServerResponse;
  body: Buffer;
  url: URL;
  auth: LocalAuth;
  documents: DynamoDBDocumentClient;
  agentStateTable: string;
}

/**
 * Routes that exist only in the local runtime, under `/local/`. `POST /local/token {"username"}`
 * signs in a seeded user (the agent-state table is the user directory) and returns an ID token
 * carrying their groups, as Cognito would after a real sign-in.
 */
export async function handleLocalRoute(context: LocalRouteContext): Promise<number> {
  const { request, response, url } = context;
  const send = (status: number, payload: unknown) => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(payload));
    return status;
  };
  if (url.pathname !== '/local/token' || request.method !== 'POST') {
    return send(404, { error: { code: 'not_found', message: `no local route ${request.method} ${url.pathname}` } });
  }
  let username: unknown;
  try {
    username = (JSON.parse(context.body.toString('utf8') || '{}') as { username?: unknown }).username;
  } catch {
    return send(400, { error: { code: 'invalid_json', message: 'the body is not valid JSON' } });
  }
  if (typeof username !== 'string' || username === '') {
    return send(400, {
      error: { code: 'validation_failed', message: 'give {"username": …}', details: { fields: [{ path: 'body.username', message: 'required' }] } },
    });
  }
  const user = await context.documents.send(new GetCommand({ TableName: context.agentStateTable, Key: keys.agent(username) }));
  if (!user.Item) {
    return send(404, { error: { code: 'not_found', message: `no seeded user ${username}; try admin, supervisor-1 or a username from GET /agents` } });
  }
  const groups = (user.Item.roles as string[] | undefined) ?? [];
  const issued = await context.auth.issue({ username, email: String(user.Item.email), groups });
  return send(200, { token: issued.token, username, groups, expiresIn: issued.expiresIn });
}
