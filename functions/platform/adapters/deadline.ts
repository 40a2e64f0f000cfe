/**
 * Runs `work` but answers by `ms` at the latest: with its result if it settles in time, else with
 * `fallback()`. For callers that wait on us with their own short limit (an Amazon Connect flow waits
 * 3 s by default), where a late answer is as bad as none. The work is not cancelled (JavaScript
 * cannot); it must be safe to finish or stop at any point, and its late failure is swallowed here so
 * it cannot surface as an unhandled rejection.
 */
export async function answerWithin<T>(ms: number, work: () => Promise<T>, fallback: () => T): Promise<{ value: T; late: boolean }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const running = work();
  running.catch(() => undefined);
  const deadline = new Promise<{ value: T; late: boolean }>((resolve) => {
    timer = setTimeout(() => resolve({ value: fallback(), late: true }), ms);
  });
  try {
    return await Promise.race([running.then((value) => ({ value, late: false })), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
