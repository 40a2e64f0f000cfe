import {
  BusinessRuleError,
  ContentionError,
  DomainError,
  ForbiddenError,
  IllegalTransitionError,
  NotFoundError,
  UniquenessConflictError,
  ValidationError,
  VersionConflictError,
} from '../domain/errors.js';
import { HttpError } from './http-error.js';

export interface ErrorResponse {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown> | undefined;
  headers?: Record<string, string>;
}

/** HTTP status of each kind of domain error: the one place the API maps them. */
const STATUS_OF: [new (...args: never[]) => DomainError, number][] = [
  [ValidationError, 400],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [VersionConflictError, 409],
  [UniquenessConflictError, 409],
  [IllegalTransitionError, 422],
  [BusinessRuleError, 422],
  [ContentionError, 503],
];

/**
 * Maps any thrown value to the API's error shape. Unknown errors become a bare 500: their message
 * and stack go to the log, never to the caller.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof HttpError) {
    return { status: error.status, code: error.code, message: error.message, details: error.details };
  }
  if (error instanceof DomainError) {
    const status = STATUS_OF.find(([type]) => error instanceof type)?.[1] ?? 500;
    return {
      status,
      code: error.code,
      message: error.message,
      details: error.details,
      ...(error instanceof ContentionError ? { headers: { 'Retry-After': '1' } } : {}),
    };
  }
  return { status: 500, code: 'internal_error', message: 'something went wrong on our side; the request may be retried' };
}
