import type { Context } from 'aws-lambda';

/**
 * A Lambda handler the runtime's state machine wiring test loads through the template's
 * `switchboard:entry`: it answers `done` (or throws when asked to), and reports what it was given.
 */
export async function handler(event: { caseId?: string; fail?: boolean }, context: Context) {
  if (event.fail) throw new RangeError(`case ${event.caseId} cannot be evaluated`);
  return {
    caseId: event.caseId ?? null,
    action: 'done',
    functionName: context.functionName,
    invokedFunctionArn: context.invokedFunctionArn,
    hasTimeLeft: context.getRemainingTimeInMillis() > 0,
    stateMachineArn: process.env.TEST_SLA_STATE_MACHINE_ARN ?? null,
  };
}
