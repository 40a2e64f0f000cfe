import './sdk-environment.js';
import { createServer } from 'node:net';
import { startLocalRuntime } from './runtime.js';

/**
 * `npm start`: the whole backend on loopback with the demo data. Environment: PORT (API, 3000),
 * SES_PORT (outbound mail viewer, 8005), SMTP_PORT (inbound mail, 2525); the stand-ins' internal
 * ports EVENTS_PORT (EventBridge), SFN_PORT (Step Functions), DYNAMODB_PORT and FAUXQS_PORT (SQS/S3)
 * are free ones unless given; DATA_DIR (.data).
 * SWITCHBOARD_CONTEXT: a JSON object of CDK context that wins over cdk.json (e.g.
 * `{"switchboard:offerTimeoutSeconds":10}`). SLA_TIME_SCALE (e.g. 60) speeds the SLA clocks (context
 * `switchboard:slaTimeScale`). `npm start -- --reset` wipes the data first.
 */
function context(): Record<string, unknown> | undefined {
  const raw = process.env.SWITCHBOARD_CONTEXT;
  const scale = slaTimeScale();
  if (!raw) return scale === undefined ? undefined : { 'switchboard:slaTimeScale': scale };
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return { ...(parsed as Record<string, unknown>), ...(scale === undefined ? {} : { 'switchboard:slaTimeScale': scale }) };
    }
  } catch {
    // reported below
  }
  console.error(`SWITCHBOARD_CONTEXT must be a JSON object of CDK context, got '${raw}'`);
  process.exit(2);
}

/** SLA_TIME_SCALE speeds the SLA clocks for demos: 60 makes a business minute last a second. */
function slaTimeScale(): number | undefined {
  const raw = process.env.SLA_TIME_SCALE;
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`SLA_TIME_SCALE must be a whole number ≥ 1 (60: a business minute lasts a second), got '${raw}'`);
    process.exit(2);
  }
  return value;
}

/** The ports asked for, by variable, so a taken one is reported by its name. */
const asked = new Map<string, number>();

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    console.error(`${name} must be a port number, got '${raw}'`);
    process.exit(2);
  }
  if (value !== 0) asked.set(name, value);
  return value;
}

/**
 * Each fixed port is tried on loopback before anything starts: a taken one would otherwise surface
 * as a Java stack trace (DynamoDB Local) or an unhandled EADDRINUSE half-way through the start.
 */
async function takenPorts(): Promise<string[]> {
  const taken = await Promise.all(
    [...asked].map(
      ([name, value]) =>
        new Promise<string | null>((resolveProbe) => {
          const probe = createServer();
          probe.once('error', (error: NodeJS.ErrnoException) =>
            resolveProbe(`${name}=${value} is ${error.code === 'EADDRINUSE' ? 'taken' : `not usable (${error.code})`}`),
          );
          probe.listen(value, '127.0.0.1', () => probe.close(() => resolveProbe(null)));
        }),
    ),
  );
  return taken.filter((line): line is string => line !== null);
}

const started = Date.now();
const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--reset');
if (unknown.length > 0) {
  console.error(`unknown option ${unknown.join(' ')}; the only option is --reset`);
  process.exit(2);
}

const ports = {
  port: port('PORT', 3000),
  sesPort: port('SES_PORT', 8005),
  smtpPort: port('SMTP_PORT', 2525),
  // Internal: nobody types these, so two runtimes side by side need only their own PORT, SES_PORT and SMTP_PORT.
  eventsPort: port('EVENTS_PORT', 0),
  stepFunctionsPort: port('SFN_PORT', 0),
  dynamoDbPort: port('DYNAMODB_PORT', 0),
  fauxqsPort: port('FAUXQS_PORT', 0),
};
const taken = await takenPorts();
if (taken.length > 0) {
  console.error(`Switchboard could not start: ${taken.join('; ')}. Set another port, or 0 for a free one.`);
  process.exit(1);
}

// A signal before the runtime is up exits at once; the exit hook of DynamoDB Local stops the JVM,
// which runs in a process group of its own and would otherwise be left behind.
const duringStart = (signal: NodeJS.Signals) => {
  console.log(`${signal} during start-up: stopping`);
  process.exit(130);
};
process.on('SIGINT', duringStart);
process.on('SIGTERM', duringStart);

try {
  const runtime = await startLocalRuntime({
    ...ports,
    // Scheduled rules (the callback dispatcher's `rate(1 minute)`) run this often instead, for tests and demos.
    scheduleIntervalMs: process.env.LOCAL_SCHEDULE_SECONDS ? Number(process.env.LOCAL_SCHEDULE_SECONDS) * 1000 : null,
    dataDir: process.env.DATA_DIR || '.data',
    reset: args.includes('--reset'),
    logRequests: process.env.LOG_REQUESTS !== 'false',
    context: context(),
  });
  console.log(`Switchboard is running locally (ready in ${((Date.now() - started) / 1000).toFixed(1)} s):`);
  for (const line of runtime.describe()) console.log(`  ${line}`);
  console.log(`READY ${runtime.apiUrl}`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    runtime.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.removeListener('SIGINT', duringStart);
  process.removeListener('SIGTERM', duringStart);
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  console.error(`Switchboard could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
