import type { NextFunction, Request, Response } from 'express';
import { Histogram, register } from 'prom-client';

/** Paths that would flood the latency histogram with probes; not recorded. */
const UNRECORDED = new Set(['/metrics', '/healthz', '/readyz']);

/** `http_request_duration_seconds{method,route,status}` in prom-client's default registry. */
export function httpDurationHistogram(): Histogram<'method' | 'route' | 'status'> {
  const name = 'http_request_duration_seconds';
  const existing = register.getSingleMetric(name);
  if (existing) return existing as Histogram<'method' | 'route' | 'status'>;
  return new Histogram({
    name,
    help: 'HTTP request latency by route template (e.g. /api/labs/:slug) and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
}

/**
 * Express middleware timing every request; the label is the route template Express matched
 * (`req.route.path`), so ids never become label values; unmatched paths share one label.
 */
export function httpMetricsMiddleware(histogram = httpDurationHistogram()) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = histogram.startTimer();
    res.on('finish', () => {
      const template = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof template === 'string' ? `${req.baseUrl}${template}` : undefined;
      if (route && UNRECORDED.has(route)) return;
      end({
        method: req.method,
        route: route ?? (req.path.startsWith('/api/') ? 'unmatched' : 'web'),
        status: String(res.statusCode),
      });
    });
    next();
  };
}
