/** Produces new sortable identifiers (ULIDs in production); a port so tests can make them predictable. */
export interface IdGenerator {
  /** A new identifier that sorts after every identifier this generator produced before. */
  newId(): string;
}

/** Produces secrets that cannot be guessed (reply tokens); a port so tests can make them predictable. */
export interface SecretGenerator {
  /** 10 characters of lower-case Crockford base32 (50 bits) from a cryptographic source. */
  newReplyToken(): string;
}
