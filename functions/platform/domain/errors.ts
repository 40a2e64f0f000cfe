/**
 * The domain's error tree. Triggers map these to their own failure shapes once
 * (HTTP status, Connect fallback map, batch item failure) by `instanceof`.
 */
export abstract class DomainError extends Error {
  /** Stable, machine-readable code, e.g. `not_found`. */
  abstract readonly code: string;

  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** One field that failed validation, with the path into the input. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The input is malformed or breaks a rule on its shape. */
export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  constructor(
    message: string,
    readonly fields: FieldIssue[] = [],
  ) {
    super(message, { fields });
  }
}

/** The named thing does not exist (or the caller may not know it exists). */
export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  constructor(entity: string, id: string) {
    super(`${entity} ${id} was not found`, { entity, id });
  }
}

/** The caller's copy is stale: someone changed the record since it was read. */
export class VersionConflictError extends DomainError {
  readonly code = 'version_conflict';
  constructor(entity: string, id: string, expectedVersion: number, actualVersion?: number) {
    super(`${entity} ${id} was changed by someone else (expected version ${expectedVersion})`, {
      entity,
      id,
      expectedVersion,
      ...(actualVersion === undefined ? {} : { actualVersion }),
    });
  }
}

/** A uniqueness rule would be broken, e.g. an identity that already belongs to another customer. */
export class UniquenessConflictError extends DomainError {
  readonly code = 'conflict';
}

/** The request is well formed but the state machine does not allow it. */
export class IllegalTransitionError extends DomainError {
  readonly code = 'illegal_transition';
  constructor(from: string, event: string, hint?: string) {
    super(`a ${from} case cannot take the event '${event}'${hint ? `: ${hint}` : ''}`, { from, event });
  }
}

/** A business rule forbids the change even though the input is well formed. */
export class BusinessRuleError extends DomainError {
  readonly code = 'rule_violated';
}

/** The caller is known but lacks the role the action needs. */
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
}

/** Contention outlasted the retries a use case allows itself; safe for the caller to retry. */
export class ContentionError extends DomainError {
  readonly code = 'contention';
}
