/**
 * How long an AWS SDK call may take, for every client Switchboard creates. Without limits a
 * half-open connection or a stalled service holds an invocation until the function's own timeout
 * (a contact flow's caller waits, a stream shard stops); with them the SDK fails the attempt, retries
 * it and at last throws, and the caller's error handling takes over.
 */
export interface AwsClientTimeouts {
  /** Milliseconds to establish the TCP and TLS connection. */
  connectionTimeoutMs: number;
  /**
   * Milliseconds from sending a request to its response's headers; a response body may then stream
   * for longer (a 40 MiB object), as long as its socket is never idle this long.
   */
  requestTimeoutMs: number;
}

/**
 * DynamoDB answers in milliseconds; 5 s leaves room for a DynamoDB Local under load in tests. A
 * function with a tighter bound (a contact flow) races its own deadline (`answerWithin`).
 */
export const AWS_CLIENT_TIMEOUTS: AwsClientTimeouts = { connectionTimeoutMs: 1_000, requestTimeoutMs: 5_000 };

/** Attempts per call, the first included: the SDK's standard retry mode with its jittered backoff. */
const MAX_ATTEMPTS = 3;

/**
 * The options every SDK client is created with (`new DynamoDBClient(awsClientConfig())`, spread
 * with the client's own ones). The request handler is given as options, which the SDK turns into its
 * default Node.js handler with these timeouts, so no handler package is a dependency of ours.
 */
export function awsClientConfig(timeouts: AwsClientTimeouts = AWS_CLIENT_TIMEOUTS) {
  return {
    requestHandler: {
      connectionTimeout: timeouts.connectionTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      // Without it the handler only logs a warning when the request timeout passes.
      throwOnRequestTimeout: true,
      socketTimeout: timeouts.requestTimeoutMs,
    },
    maxAttempts: MAX_ATTEMPTS,
  };
}
