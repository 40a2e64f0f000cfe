import { unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { restoreEmptyMaps } from '#local/stream-poller';

describe('stream records as Lambda delivers them', () => {
  it('restores empty maps the stream client reads back as typeless values, at any depth', () => {
    const image = {
      customFields: {},
      decision: { M: { candidates: { L: [{ M: { extra: {} } }] }, name: { S: 'x' } } },
      tags: { L: [] },
      version: { N: '3' },
    };

    const restored = restoreEmptyMaps(image as Record<string, unknown>);

    expect(restored).toEqual({
      customFields: { M: {} },
      decision: { M: { candidates: { L: [{ M: { extra: { M: {} } } }] }, name: { S: 'x' } } },
      tags: { L: [] },
      version: { N: '3' },
    });
    expect(unmarshall(restored as Parameters<typeof unmarshall>[0])).toEqual({
      customFields: {},
      decision: { candidates: [{ extra: {} }], name: 'x' },
      tags: [],
      version: 3,
    });
  });
});
