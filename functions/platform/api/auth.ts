import type { APIGatewayProxyEvent } from 'aws-lambda';
import { type Actor, ROLES, type Role } from '../domain/actor.js';

/**
 * The caller as the Cognito user pool authorizer describes them. API Gateway (REST) passes the
 * verified token's claims as strings; `cognito:groups` arrives comma-separated ("agents,admins")
 * or, from some integrations, bracketed and space-separated ("[agents admins]").
 */
export function actorFromEvent(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Actor | null {
  const claims: unknown = event.requestContext?.authorizer?.claims;
  if (!isRecord(claims)) return null;
  const username = claims['cognito:username'] ?? claims.username ?? claims.sub;
  if (typeof username !== 'string' || username === '') return null;
  return { kind: 'user', id: username, roles: parseGroups(claims['cognito:groups']) };
}

function parseGroups(raw: unknown): Role[] {
  const names = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.replace(/^\[|\]$/g, '').split(/[,\s]+/) : [];
  return names.filter((name): name is Role => ROLES.some((role) => role === name));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
