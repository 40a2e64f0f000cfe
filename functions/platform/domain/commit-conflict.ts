/**
 * A write another feature's store adds to a commit of this one, so both land in one transaction or
 * neither does. Only stores of one kind (DynamoDB, in memory) build and read it: to the domain it is
 * opaque. Its condition failing surfaces as `CommitConflict('dependent')`.
 */
export interface AlongsideWrite {
  /** The kind of store that built it; a store of another kind refuses it. */
  readonly store: string;
  readonly write: unknown;
}

/** Why a commit was refused; the use case decides whether to read again and retry. */
export class CommitConflict extends Error {
  constructor(readonly reason: 'sequence' | 'identity' | 'version' | 'missing' | 'duplicate' | 'dependent') {
    super(`commit refused: ${reason}`);
    this.name = 'CommitConflict';
  }
}

/** How many times a use case re-reads and retries after losing a race for the same record. */
export const MAX_COMMIT_ATTEMPTS = 10;
