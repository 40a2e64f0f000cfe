import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Changes are written at most this often (ms); a crash replays at most what was read in that window. */
const SAVE_EVERY_MS = 200;

/**
 * Where each event source mapping has read to (a stream shard's last delivered sequence number),
 * kept in a JSON file so a restart goes on after it, as Lambda's mappings do, instead of replaying
 * the stream from its oldest record. Without a file (tests in memory) positions live in memory only.
 * The file is rewritten atomically (temporary file and rename), so a crash mid-write keeps the old one.
 */
export class EventSourcePositions {
  private readonly positions: Record<string, string>;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly file: string | null) {
    this.positions = file && existsSync(file) ? readPositions(file) : {};
  }

  get(key: string): string | undefined {
    return this.positions[key];
  }

  set(key: string, position: string): void {
    this.positions[key] = position;
    if (!this.file || this.timer) return;
    this.timer = setTimeout(() => this.saveNow(), SAVE_EVERY_MS);
  }

  saveNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.positions, null, 1));
    renameSync(temporary, this.file);
  }
}

function readPositions(file: string): Record<string, string> {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    }
  } catch {
    // An unreadable file is treated as none: the streams are read from their oldest record, as on a first start.
  }
  return {};
}
