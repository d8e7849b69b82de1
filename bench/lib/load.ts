import autocannon from "autocannon";

export interface LoadOptions {
  url: string;
  connections: number;
  /** Run for this long... */
  durationSeconds?: number;
  /** ...or send exactly this many requests (used where each request consumes prepared state). */
  amount?: number;
  method?: "POST" | "GET";
  headers?: Record<string, string>;
  body?: string;
  /** Called for every request; returns the body to send (e.g. a fresh session id each time). */
  nextBody?: () => string;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** One autocannon run, reduced to the figures the results table shows. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const { nextBody } = options;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.durationSeconds ?? 10 }),
    method: options.method ?? "POST",
    headers: { "content-type": "application/json", ...options.headers },
    ...(nextBody
      ? { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: nextBody() }) }] }
      : { body: options.body }),
  } as autocannon.Options);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}
