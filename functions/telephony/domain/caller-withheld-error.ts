import { BusinessRuleError } from '#platform/domain/errors';

/** A call needs the caller's number to find or create its customer, and the caller withheld it. */
export class CallerWithheldError extends BusinessRuleError {
  constructor() {
    super('caller number withheld');
  }
}
