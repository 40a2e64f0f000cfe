import type { FauxqsServer } from 'fauxqs';
import type { CloudModel } from './cloud-template.js';

/** Queue attributes the stand-in understands, taken from the template as they are. */
const COPIED_ATTRIBUTES = [
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds',
  'MaximumMessageSize',
];

/**
 * Creates the template's queues in the SQS stand-in, dead-letter queues first so redrive policies
 * can point at them, and binds each queue's URL (`Ref`) and ARN (`Fn::GetAtt … Arn`) in the model.
 */
export function provisionQueues(fauxqs: FauxqsServer, model: CloudModel, region: string): Map<string, { url: string; arn: string }> {
  const created = new Map<string, { url: string; arn: string }>();
  const redriveOf = (queue: CloudModel['queues'][number]) => queue.properties.RedrivePolicy as Record<string, unknown> | undefined;
  const ordered = [...model.queues].sort((a, b) => Number(Boolean(redriveOf(a))) - Number(Boolean(redriveOf(b))));
  for (const queue of ordered) {
    const attributes: Record<string, string> = {};
    for (const name of COPIED_ATTRIBUTES) {
      if (queue.properties[name] !== undefined) attributes[name] = String(queue.properties[name]);
    }
    // Tests wait for redeliveries and dead-lettering; LOCAL_SQS_VISIBILITY_TIMEOUT (s) shortens the wait.
    const visibilityOverride = process.env.LOCAL_SQS_VISIBILITY_TIMEOUT;
    if (visibilityOverride) attributes.VisibilityTimeout = visibilityOverride;
    const redrive = redriveOf(queue);
    if (redrive) {
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: model.resolve(redrive.deadLetterTargetArn, ''),
        maxReceiveCount: String(redrive.maxReceiveCount),
      });
    }
    if (queue.fifo) attributes.FifoQueue = 'true';
    const { queueUrl, queueArn } = fauxqs.createQueue(queue.localName, { region, attributes });
    model.bind(queue.logicalId, { ref: queueUrl, attributes: { Arn: queueArn, QueueName: queue.localName, QueueUrl: queueUrl } });
    created.set(queue.logicalId, { url: queueUrl, arn: queueArn });
  }
  return created;
}
