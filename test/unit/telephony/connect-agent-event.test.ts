import { describe, expect, it } from 'vitest';
import { decodeKinesisData, parseConnectAgentEvent } from '#telephony/adapters/connect/agent-event';
import { ValidationError } from '#platform/domain/errors';
import { CONNECT_CONTACT_STATES, channelOfContact, type ConnectContact, occupyingContacts } from '#telephony/domain/agent-activity';

/*
 * Records copied from the Amazon Connect Administrator Guide, with the guide's `//` annotations
 * removed so they are JSON:
 * - "Determine the contact center agent's ACW time" (determine-acw-time.html): the STATE_CHANGE where
 *   the voice contact ENDED and went into after-contact work, and the one where ACW finished.
 * - "Sample agent event stream" (sample-agent-event-stream.html): a HEART_BEAT. The guide's copy
 *   drops a `},` in the current snapshot's Concurrency list; restored from its previous snapshot.
 * The guide has no LOGOUT or connected-contact STATE_CHANGE record; those two are built from the same
 * records and the data model (agent-event-stream-model.html), and say so where they are defined.
 */

const INSTANCE = 'arn:aws:connect:us-east-1:012345678901:instance/aaaaaaaa-bbbb-cccc-dddd-111111111111';
const AGENT_ARN = `${INSTANCE}/agent/agent-ARN`;

const ACW_CONFIGURATION = {
  AgentHierarchyGroups: null,
  FirstName: '(Removed)',
  LastName: '(Removed)',
  RoutingProfile: {
    ARN: `${INSTANCE}/routing-profile/routing-profile-ARN`,
    DefaultOutboundQueue: { ARN: `${INSTANCE}/queue/queue-ARN-for-BasicQueue`, Name: 'BasicQueue' },
    InboundQueues: [
      { ARN: `${INSTANCE}/queue/queue-ARN-for-BasicQueue`, Name: 'BasicQueue' },
      { ARN: `${INSTANCE}/queue/queue-ARN-for-PrimaryQueue`, Name: 'PrimaryQueue' },
    ],
    Name: 'Basic Routing Profile',
  },
  Username: '(Removed)',
};

const AVAILABLE = {
  ARN: `${INSTANCE}/agent-state/agent-state-ARN`,
  Name: 'Available',
  StartTimestamp: '2019-05-25T18:43:59.049Z',
};

function voiceContact(state: string, stateStartTimestamp: string) {
  return {
    Channel: 'VOICE',
    ConnectedToAgentTimestamp: '2019-05-25T18:55:21.011Z',
    ContactId: 'ContactId-1',
    InitialContactId: null,
    InitiationMethod: 'OUTBOUND',
    Queue: { ARN: `${INSTANCE}/queue/queue-ARN-for-BasicQueue`, Name: 'BasicQueue' },
    QueueTimestamp: null,
    State: state,
    StateStartTimestamp: stateStartTimestamp,
  };
}

/** determine-acw-time.html, first record: the call ENDED; the contact is in ACW. */
const CONTACT_ENDED = {
  AWSAccountId: '012345678901',
  AgentARN: AGENT_ARN,
  CurrentAgentSnapshot: {
    AgentStatus: AVAILABLE,
    Configuration: ACW_CONFIGURATION,
    Contacts: [voiceContact('ENDED', '2019-05-25T18:55:27.017Z')],
  },
  EventId: 'EventId-1',
  EventTimestamp: '2019-05-25T18:55:27.017Z',
  EventType: 'STATE_CHANGE',
  InstanceARN: INSTANCE,
  PreviousAgentSnapshot: {
    AgentStatus: AVAILABLE,
    Configuration: ACW_CONFIGURATION,
    Contacts: [voiceContact('CONNECTED', '2019-05-25T18:55:21.011Z')],
  },
  Version: '2019-05-25',
};

/** determine-acw-time.html, second record: ACW finished, the contact left the snapshot. */
const ACW_CLEARED = {
  AWSAccountId: '012345678901',
  AgentARN: AGENT_ARN,
  CurrentAgentSnapshot: { AgentStatus: AVAILABLE, Configuration: ACW_CONFIGURATION, Contacts: [] },
  EventId: '477f2c4f-cd1a-4785-b1a8-97023dc1229d',
  EventTimestamp: '2019-05-25T18:55:32.022Z',
  EventType: 'STATE_CHANGE',
  InstanceARN: INSTANCE,
  PreviousAgentSnapshot: {
    AgentStatus: AVAILABLE,
    Configuration: ACW_CONFIGURATION,
    Contacts: [voiceContact('ENDED', '2019-05-25T18:55:27.017Z')],
  },
  Version: '2019-05-25',
};

/**
 * The moment the outbound call connected: the guide's ENDED record shows this snapshot as the
 * previous one (CONNECTED at 18:55:21.011Z); before it the agent had no contact. The contact object
 * is the one on about-contact-states.html.
 */
const CONTACT_CONNECTED = {
  ...CONTACT_ENDED,
  CurrentAgentSnapshot: CONTACT_ENDED.PreviousAgentSnapshot,
  EventId: 'EventId-connected',
  EventTimestamp: '2019-05-25T18:55:21.011Z',
  PreviousAgentSnapshot: { AgentStatus: AVAILABLE, Configuration: ACW_CONFIGURATION, Contacts: [] },
};

const WEST = 'arn:aws:connect:us-west-2:012345678901:instance/aaaaaaaa-bbbb-cccc-dddd-111111111111';
const SAMPLE_SNAPSHOT = {
  AgentStatus: { ARN: `${WEST}/agent-state/agent-state-ARN`, Name: 'Offline', StartTimestamp: '2019-08-13T20:52:30.704Z' },
  Configuration: {
    AgentHierarchyGroups: null,
    FirstName: 'AgentEventStreamTest',
    LastName: 'Agent',
    RoutingProfile: {
      ARN: `${WEST}/routing-profile/routing-profile-ARN`,
      Concurrency: [
        { AvailableSlots: 3, Channel: 'CHAT', MaximumSlots: 3 },
        { AvailableSlots: 1, Channel: 'VOICE', MaximumSlots: 1 },
      ],
      DefaultOutboundQueue: { ARN: `${WEST}/queue/queue-ARN`, Channels: ['VOICE'], Name: 'OutboundQueue' },
      InboundQueues: [
        // An agent queue: the guide notes its Name is null.
        { ARN: `${WEST}/queue/agent/agent-ARN`, Channels: ['VOICE', 'CHAT'], Name: null },
        { ARN: `${WEST}/queue/queue-ARN`, Channels: ['CHAT', 'VOICE'], Name: 'Omni-channel-queue' },
      ],
      Name: 'AgentEventStreamProfile',
    },
    Username: 'aestest',
  },
  Contacts: [],
};

/** sample-agent-event-stream.html */
const HEART_BEAT = {
  AWSAccountId: '012345678901',
  AgentARN: `${WEST}/agent/agent-ARN`,
  CurrentAgentSnapshot: SAMPLE_SNAPSHOT,
  EventId: 'EventId-1',
  EventTimestamp: '2019-08-13T20:58:44.031Z',
  EventType: 'HEART_BEAT',
  InstanceARN: WEST,
  PreviousAgentSnapshot: SAMPLE_SNAPSHOT,
  Version: '2017-10-01',
};

/**
 * Built, not copied: the guide has no LOGOUT record. Per the data model, PreviousAgentSnapshot is
 * "not applicable to LOGIN or LOGOUT events", so there is none.
 */
const LOGOUT = {
  AWSAccountId: '012345678901',
  AgentARN: `${WEST}/agent/agent-ARN`,
  CurrentAgentSnapshot: SAMPLE_SNAPSHOT,
  EventId: '0b1c9a4e-6c55-4f7b-9a8e-5f2d1f0e7a11',
  EventTimestamp: '2019-08-13T21:30:02.500Z',
  EventType: 'LOGOUT',
  InstanceARN: WEST,
  Version: '2019-05-25',
};

function toKinesisData(record: unknown): string {
  return Buffer.from(JSON.stringify(record), 'utf8').toString('base64');
}

function validationErrorOf(action: () => unknown): ValidationError {
  try {
    action();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

describe('parseConnectAgentEvent on the documented records', () => {
  it('reads a STATE_CHANGE with a connected voice contact', () => {
    expect(parseConnectAgentEvent(CONTACT_CONNECTED)).toEqual({
      eventId: 'EventId-connected',
      eventType: 'STATE_CHANGE',
      at: '2019-05-25T18:55:21.011Z',
      agentArn: AGENT_ARN,
      username: '(Removed)',
      agentStatus: { name: 'Available', type: null },
      contacts: [{ contactId: 'ContactId-1', channel: 'VOICE', state: 'CONNECTED' }],
    });
  });

  it('reads the STATE_CHANGE where the contact ENDED and went into ACW (the agent status stays Available)', () => {
    const event = parseConnectAgentEvent(CONTACT_ENDED);
    expect(event.eventType).toBe('STATE_CHANGE');
    expect(event.at).toBe('2019-05-25T18:55:27.017Z');
    expect(event.agentStatus).toEqual({ name: 'Available', type: null });
    // The current snapshot, not the previous one (where the same contact is CONNECTED).
    expect(event.contacts).toEqual([{ contactId: 'ContactId-1', channel: 'VOICE', state: 'ENDED' }]);
    expect(occupyingContacts(event.contacts)).toEqual([]);
  });

  it('reads the STATE_CHANGE where ACW finished as an agent with no contacts', () => {
    const event = parseConnectAgentEvent(ACW_CLEARED);
    expect(event.eventId).toBe('477f2c4f-cd1a-4785-b1a8-97023dc1229d');
    expect(event.contacts).toEqual([]);
  });

  it('reads a HEART_BEAT, ignoring the routing profile with its null agent-queue name', () => {
    expect(parseConnectAgentEvent(HEART_BEAT)).toEqual({
      eventId: 'EventId-1',
      eventType: 'HEART_BEAT',
      at: '2019-08-13T20:58:44.031Z',
      agentArn: `${WEST}/agent/agent-ARN`,
      username: 'aestest',
      agentStatus: { name: 'Offline', type: null },
      contacts: [],
    });
  });

  it('reads a LOGOUT, with or without a current snapshot', () => {
    const withSnapshot = parseConnectAgentEvent(LOGOUT);
    expect(withSnapshot).toMatchObject({
      eventType: 'LOGOUT',
      username: 'aestest',
      agentStatus: { name: 'Offline', type: null },
      contacts: [],
    });

    const { CurrentAgentSnapshot: _omitted, ...bare } = LOGOUT;
    expect(parseConnectAgentEvent(bare)).toEqual({
      eventId: LOGOUT.EventId,
      eventType: 'LOGOUT',
      at: LOGOUT.EventTimestamp,
      agentArn: `${WEST}/agent/agent-ARN`,
      username: null,
      agentStatus: null,
      contacts: [],
    });
    expect(parseConnectAgentEvent({ ...LOGOUT, CurrentAgentSnapshot: null }).agentStatus).toBeNull();
  });

  it('keeps the agent status Type when Connect sends it, and ignores fields it does not know', () => {
    const event = parseConnectAgentEvent({
      ...CONTACT_CONNECTED,
      SomeFieldConnectAddsLater: { nested: true },
      CurrentAgentSnapshot: {
        ...CONTACT_CONNECTED.CurrentAgentSnapshot,
        AgentStatus: { ...AVAILABLE, Type: 'ROUTABLE' },
        NextAgentStatus: { ARN: 'example-ARN2', Name: 'Lunch', EnqueueTimestamp: '2019-08-13T20:58:00.004Z' },
      },
    });
    expect(event.agentStatus).toEqual({ name: 'Available', type: 'ROUTABLE' });
    expect(event.contacts).toHaveLength(1);
  });

  it('normalises a timestamp with an offset to UTC', () => {
    expect(parseConnectAgentEvent({ ...HEART_BEAT, EventTimestamp: '2019-08-13T22:58:44.031+02:00' }).at).toBe('2019-08-13T20:58:44.031Z');
  });

  it('reads a record decoded from Kinesis data', () => {
    expect(parseConnectAgentEvent(decodeKinesisData(toKinesisData(CONTACT_ENDED)))).toEqual(parseConnectAgentEvent(CONTACT_ENDED));
  });
});

describe('parseConnectAgentEvent on bad records', () => {
  it('names AgentARN when it is missing', () => {
    const { AgentARN: _omitted, ...record } = CONTACT_CONNECTED;
    const error = validationErrorOf(() => parseConnectAgentEvent(record));
    expect(error.message).toMatch(/^the Connect agent event is not valid: AgentARN: /);
    expect(error.fields).toEqual([{ path: 'AgentARN', message: expect.stringContaining('expected string') }]);
    expect(error.code).toBe('validation_failed');
  });

  it('names AgentARN when it is not an agent ARN', () => {
    const error = validationErrorOf(() => parseConnectAgentEvent({ ...CONTACT_CONNECTED, AgentARN: `${INSTANCE}/queue/q-1` }));
    expect(error.fields.map((field) => field.path)).toEqual(['AgentARN']);
    expect(error.message).toContain('expected an Amazon Connect agent ARN');
  });

  it('names CurrentAgentSnapshot.Contacts when it is not an array', () => {
    const record = { ...CONTACT_CONNECTED, CurrentAgentSnapshot: { ...CONTACT_CONNECTED.CurrentAgentSnapshot, Contacts: 'none' } };
    const error = validationErrorOf(() => parseConnectAgentEvent(record));
    expect(error.fields).toEqual([{ path: 'CurrentAgentSnapshot.Contacts', message: expect.stringContaining('expected array') }]);
    expect(error.message).toContain('CurrentAgentSnapshot.Contacts: ');
  });

  it('refuses a snapshot without Contacts rather than reading it as "no contacts"', () => {
    const { Contacts: _omitted, ...snapshot } = CONTACT_CONNECTED.CurrentAgentSnapshot;
    const error = validationErrorOf(() => parseConnectAgentEvent({ ...CONTACT_CONNECTED, CurrentAgentSnapshot: snapshot }));
    expect(error.fields.map((field) => field.path)).toEqual(['CurrentAgentSnapshot.Contacts']);
  });

  it('names the contact and field for an unknown channel or state', () => {
    const record = {
      ...CONTACT_CONNECTED,
      CurrentAgentSnapshot: {
        ...CONTACT_CONNECTED.CurrentAgentSnapshot,
        Contacts: [
          voiceContact('CONNECTED', '2019-05-25T18:55:21.011Z'),
          { ...voiceContact('RINGING', '2019-05-25T18:55:21.011Z'), Channel: 'SMS' },
        ],
      },
    };
    const error = validationErrorOf(() => parseConnectAgentEvent(record));
    expect(error.fields.map((field) => field.path)).toEqual([
      'CurrentAgentSnapshot.Contacts[1].Channel',
      'CurrentAgentSnapshot.Contacts[1].State',
    ]);
    expect(error.message).toContain('CurrentAgentSnapshot.Contacts[1].Channel: ');
  });

  it('refuses a STATE_CHANGE without the current snapshot', () => {
    const { CurrentAgentSnapshot: _omitted, ...record } = CONTACT_CONNECTED;
    const error = validationErrorOf(() => parseConnectAgentEvent(record));
    expect(error.fields).toEqual([{ path: 'CurrentAgentSnapshot', message: 'a STATE_CHANGE event needs the current agent snapshot' }]);
  });

  it('names EventType, EventTimestamp and EventId when they are wrong', () => {
    const error = validationErrorOf(() =>
      parseConnectAgentEvent({ ...HEART_BEAT, EventType: 'AGENT_STATUS', EventTimestamp: '2019-08-13 20:58', EventId: '' }),
    );
    expect(error.fields.map((field) => field.path).sort()).toEqual(['EventId', 'EventTimestamp', 'EventType']);
  });

  it('says the record itself is wrong when it is not an object', () => {
    const error = validationErrorOf(() => parseConnectAgentEvent(null));
    expect(error.fields).toEqual([{ path: '(the record)', message: expect.stringContaining('expected object') }]);
  });
});

describe('decodeKinesisData', () => {
  it('decodes base64 UTF-8 JSON', () => {
    expect(decodeKinesisData(Buffer.from('{"Username":"łucja"}', 'utf8').toString('base64'))).toEqual({ Username: 'łucja' });
  });

  it('refuses data that is not base64', () => {
    for (const data of ['not base64!', 'eyJ', 'eyJh\nYiI6MX0=']) {
      const error = validationErrorOf(() => decodeKinesisData(data));
      expect(error.message).toBe('the Kinesis record data is not base64: expected standard base64 with padding');
      expect(error.fields).toEqual([{ path: 'kinesis.data', message: 'expected standard base64 with padding' }]);
    }
  });

  it('refuses base64 that is not JSON', () => {
    const error = validationErrorOf(() => decodeKinesisData(Buffer.from('EventType=LOGIN', 'utf8').toString('base64')));
    expect(error.message).toMatch(/^the Kinesis record data is not JSON: /);
    expect(error.fields.map((field) => field.path)).toEqual(['kinesis.data']);
    expect(() => decodeKinesisData('')).toThrow(/not JSON/);
  });

  it('refuses bytes that are not UTF-8', () => {
    const error = validationErrorOf(() => decodeKinesisData(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64')));
    expect(error.message).toBe('the Kinesis record data is not UTF-8 text: the decoded bytes are not valid UTF-8');
  });
});

describe('occupyingContacts', () => {
  const contacts: ConnectContact[] = CONNECT_CONTACT_STATES.map((state, index) => ({
    contactId: `c-${index}`,
    channel: 'CHAT',
    state,
  }));

  it('keeps contacts offered to or in conversation with the agent, in order', () => {
    expect(occupyingContacts(contacts).map((contact) => contact.state)).toEqual([
      'INCOMING',
      'PENDING',
      'CONNECTING',
      'CONNECTED',
      'CONNECTED_ONHOLD',
    ]);
  });

  it('drops paused, missed, failed, ended (ACW) and rejected contacts', () => {
    const dropped = contacts.filter((contact) => !occupyingContacts([contact]).length).map((contact) => contact.state);
    expect(dropped).toEqual(['PAUSED', 'MISSED', 'ERROR', 'ENDED', 'REJECTED']);
  });

  it('is empty for an agent with no contacts', () => {
    expect(occupyingContacts([])).toEqual([]);
  });
});

describe('channelOfContact', () => {
  it('maps Connect channels to ours', () => {
    expect(channelOfContact('VOICE')).toBe('phone');
    expect(channelOfContact('CHAT')).toBe('chat');
    expect(channelOfContact('TASK')).toBe('web');
    expect(channelOfContact('EMAIL')).toBe('email');
  });
});
