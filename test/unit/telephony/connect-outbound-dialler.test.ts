import {
  ConnectClient,
  DestinationNotAllowedException,
  OutboundContactNotPermittedException,
  ResourceNotFoundException,
  StartOutboundVoiceContactCommand,
  ThrottlingException,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectOutboundDialler, connectClient } from '#telephony/adapters/connect/connect-outbound-dialler';
import type { DialRequest } from '#telephony/domain/callback-ports';

const connect = mockClient(ConnectClient);
const dialler = new ConnectOutboundDialler(connectClient, '4f3c2b1a-0000-4000-8000-000000000001', 'callback-flow-1');

const request: DialRequest = {
  phone: '+48601234567',
  connectQueueId: '0a1b2c3d-0000-4000-8000-00000000c001',
  clientToken: 'callback-01KCALLBACK-2',
  attributes: { caseId: '01KCASE', callbackId: '01KCALLBACK', attempt: '2' },
};

const metadata = { $metadata: {} };

beforeEach(() => connect.reset());
afterAll(() => connect.restore());

describe('ConnectOutboundDialler', () => {
  it('starts the outbound contact with exactly the instance, flow, queue, number, attributes and idempotency token', async () => {
    connect.on(StartOutboundVoiceContactCommand).resolves({ ContactId: 'outbound-contact-1' });

    const result = await dialler.dial(request);

    expect(result).toEqual({ kind: 'started', contactId: 'outbound-contact-1' });
    expect(connect.commandCalls(StartOutboundVoiceContactCommand)).toHaveLength(1);
    expect(connect.commandCalls(StartOutboundVoiceContactCommand)[0]?.args[0].input).toEqual({
      InstanceId: '4f3c2b1a-0000-4000-8000-000000000001',
      ContactFlowId: 'callback-flow-1',
      QueueId: '0a1b2c3d-0000-4000-8000-00000000c001',
      DestinationPhoneNumber: '+48601234567',
      Attributes: { caseId: '01KCASE', callbackId: '01KCALLBACK', attempt: '2' },
      ClientToken: 'callback-01KCALLBACK-2',
    });
  });

  it('answers a refusal of the destination as refused (the attempt counts)', async () => {
    connect
      .on(StartOutboundVoiceContactCommand)
      .rejectsOnce(
        new DestinationNotAllowedException({ message: 'Outbound calls to the destination number are not allowed.', ...metadata }),
      )
      .rejectsOnce(new OutboundContactNotPermittedException({ message: 'The contact is not permitted.', ...metadata }));

    expect(await dialler.dial(request)).toEqual({
      kind: 'refused',
      reason: 'DestinationNotAllowedException: Outbound calls to the destination number are not allowed.',
    });
    expect(await dialler.dial(request)).toEqual({
      kind: 'refused',
      reason: 'OutboundContactNotPermittedException: The contact is not permitted.',
    });
  });

  it('throws throttling and configuration errors: the attempt is tried again, not used up', async () => {
    connect
      .on(StartOutboundVoiceContactCommand)
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', ...metadata }))
      .rejectsOnce(new ResourceNotFoundException({ message: 'Contact flow not found', ...metadata }));

    await expect(dialler.dial(request)).rejects.toBeInstanceOf(ThrottlingException);
    await expect(dialler.dial(request)).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('throws when Connect answers without a contact id', async () => {
    connect.on(StartOutboundVoiceContactCommand).resolves({});

    await expect(dialler.dial(request)).rejects.toThrow('StartOutboundVoiceContact answered without a ContactId');
  });
});
