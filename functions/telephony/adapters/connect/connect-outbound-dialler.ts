import {
  ConnectClient,
  DestinationNotAllowedException,
  OutboundContactNotPermittedException,
  StartOutboundVoiceContactCommand,
} from '@aws-sdk/client-connect';
import type { DialRequest, DialResult, OutboundDialler } from '../../domain/callback-ports.js';
import { awsClientConfig } from '#platform/adapters/aws-clients';

/**
 * One Connect client per execution environment, created at module scope so warm invocations reuse
 * its connections. The endpoint comes from the SDK's own configuration (`AWS_ENDPOINT_URL_CONNECT`
 * locally, where it points at the outbound-dialling stand-in), never from a code path of our own.
 */
export const connectClient = new ConnectClient(awsClientConfig());

/**
 * Callbacks dialled with StartOutboundVoiceContact: Connect rings the customer and runs the callback
 * flow, which puts the answered call in the queue (`QueueId`, whose caller ID the customer sees).
 *
 * `ClientToken` makes the request idempotent for 7 days: repeating it (a retried dispatch, a
 * dispatcher that died before recording the contact) returns the contact already started instead
 * of ringing twice. Connect refusing the destination (`DestinationNotAllowedException`,
 * `OutboundContactNotPermittedException`) is a refusal of this call: it counts as an attempt.
 * Every other error (throttling, limits, faults, and configuration errors such as an unknown flow
 * or queue, which no retry of the attempt would cure but which must not use up customers' attempts
 * either) is thrown, and the attempt is tried again later under the same token.
 */
export class ConnectOutboundDialler implements OutboundDialler {
  constructor(
    private readonly client: ConnectClient,
    private readonly instanceId: string,
    private readonly contactFlowId: string,
  ) {}

  async dial(request: DialRequest): Promise<DialResult> {
    try {
      const result = await this.client.send(
        new StartOutboundVoiceContactCommand({
          InstanceId: this.instanceId,
          ContactFlowId: this.contactFlowId,
          QueueId: request.connectQueueId,
          DestinationPhoneNumber: request.phone,
          Attributes: { ...request.attributes },
          ClientToken: request.clientToken,
        }),
      );
      if (!result.ContactId) throw new Error('StartOutboundVoiceContact answered without a ContactId');
      return { kind: 'started', contactId: result.ContactId };
    } catch (error) {
      if (error instanceof DestinationNotAllowedException || error instanceof OutboundContactNotPermittedException) {
        return { kind: 'refused', reason: `${error.name}: ${error.message}` };
      }
      throw error;
    }
  }
}
