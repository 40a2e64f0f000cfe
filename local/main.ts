import './sdk-environment.js';
import { startLocalRuntime } from './runtime.js';

/**
 * `npm start`: the whole backend on loopback with the demo data. Environment: PORT (API, 3000),
 * SES_PORT (outbound mail viewer, 8005), EVENTS_PORT (EventBridge stand-in, 8006), SFN_PORT (Step
 * Functions stand-in, 8007), SMTP_PORT
 * (inbound mail, 2525), DYNAMODB_PORT (8000), FAUXQS_PORT (SQS/S3, 4566), DATA_DIR (.data).
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

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    console.error(`${name} must be a port number, got '${raw}'`);
    process.exit(2);
  }
  return value;
}

const started = Date.now();
const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--reset');
if (unknown.length > 0) {
  console.error(`unknown option ${unknown.join(' ')}; the only option is --reset`);
  process.exit(2);
}

try {
  const runtime = await startLocalRuntime({
    port: port('PORT', 3000),
    sesPort: port('SES_PORT', 8005),
    eventsPort: port('EVENTS_PORT', 8006),
    stepFunctionsPort: port('SFN_PORT', 8007),
    // Scheduled rules (the callback dispatcher's `rate(1 minute)`) run this often instead, for tests and demos.
    scheduleIntervalMs: process.env.LOCAL_SCHEDULE_SECONDS ? Number(process.env.LOCAL_SCHEDULE_SECONDS) * 1000 : null,
    smtpPort: port('SMTP_PORT', 2525),
    dynamoDbPort: port('DYNAMODB_PORT', 8000),
    fauxqsPort: port('FAUXQS_PORT', 4566),
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
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  console.error(`Switchboard could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
