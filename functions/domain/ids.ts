/** Produces new sortable identifiers (ULIDs in production); a port so tests can make them predictable. */
export interface IdGenerator {
  /** A new identifier that sorts after every identifier this generator produced before. */
  newId(): string;
}
