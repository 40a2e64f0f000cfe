import { type DynamoDBClient, PutItemCommand, type PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { CloudModel, StackTemplate } from './cloud-template.js';

/** An SDK call of a CDK `AwsCustomResource`, as its `Create` property holds it (JSON text once resolved). */
interface SdkCall {
  service: string;
  action: string;
  parameters?: Record<string, unknown>;
}

/**
 * Performs the SDK calls the template's `AwsCustomResource`s make when the stack is created (what
 * CloudFormation asks their provider function to do), against the local stand-ins: today a
 * DynamoDB PutItem (the SLA stack's default policies and calendars). Any other call is refused, so
 * a new kind of deploy-time write cannot be silently skipped locally. Returns the calls made.
 */
export async function runDeployTimeCalls(stacks: readonly StackTemplate[], model: CloudModel, dynamodb: DynamoDBClient): Promise<number> {
  let made = 0;
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      const create = resource.Properties?.Create;
      if (!resource.Type.startsWith('Custom::') || create === undefined) continue;
      const call = JSON.parse(model.resolve(create, stack.stackName)) as SdkCall;
      if (call.service !== 'DynamoDB' || call.action !== 'PutItem') {
        throw new Error(`the local runtime cannot make ${call.service}.${call.action} (custom resource ${logicalId})`);
      }
      await dynamodb.send(new PutItemCommand(call.parameters as unknown as PutItemCommandInput));
      made += 1;
    }
  }
  return made;
}
