import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventSourcePositions } from '#local/event-source-positions';

describe('EventSourcePositions', () => {
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-positions-'));
  afterEach(() => rmSync(join(directory, 'positions.json'), { force: true }));

  it('keeps each shard’s position in its file for the next run', () => {
    const file = join(directory, 'positions.json');
    const first = new EventSourcePositions(file);
    first.set('arn:stream/shard-1', '000000000000000000043');
    first.set('arn:stream/shard-2', '000000000000000000007');
    first.saveNow();

    const next = new EventSourcePositions(file);

    expect(next.get('arn:stream/shard-1')).toBe('000000000000000000043');
    expect(next.get('arn:stream/shard-2')).toBe('000000000000000000007');
    expect(next.get('arn:stream/shard-3')).toBeUndefined();
  });

  it('reads an unreadable file as no positions (every shard from its oldest record)', () => {
    const file = join(directory, 'positions.json');
    writeFileSync(file, '{not json');

    expect(new EventSourcePositions(file).get('arn:stream/shard-1')).toBeUndefined();
  });

  it('keeps positions in memory only without a file', () => {
    const positions = new EventSourcePositions(null);
    positions.set('arn:stream/shard-1', '1');
    positions.saveNow();

    expect(positions.get('arn:stream/shard-1')).toBe('1');
  });
});
