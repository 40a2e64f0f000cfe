import { ExecutionAlreadyExists, ExecutionDoesNotExist, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { SlaTimers, TimerInput } from '../../domain/sla-ports.js';
import { awsClientConfig } from '#platform/adapters/aws-clients';

/**
 * The clocks' timers as executions of the SLA state machine (Standard), named after the clock's
 * case, milestone, cycle and generation. Step Functions keeps a Standard execution's name unique
 * for 90 days, so a repeated start of the same timer cannot create a second one.
 */
export class StepFunctionsSlaTimers implements SlaTimers {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  static fromEnv(stateMachineArn: string): StepFunctionsSlaTimers {
    return new StepFunctionsSlaTimers(new SFNClient(awsClientConfig()), stateMachineArn);
  }

  async start(name: string, input: TimerInput): Promise<void> {
    try {
      await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }));
    } catch (error) {
      // Started before (a redelivered stream record), and perhaps already ended: the timer exists.
      if (error instanceof ExecutionAlreadyExists) return;
      throw error;
    }
  }

  async stop(name: string): Promise<void> {
    try {
      await this.client.send(
        new StopExecutionCommand({ executionArn: this.executionArn(name), cause: 'the clock moved to a new generation' }),
      );
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return;
      throw error;
    }
  }

  /** `arn:…:stateMachine:<name>` → `arn:…:execution:<name>:<execution>`. */
  private executionArn(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }
}
